import sharp from 'sharp';
import { DomainError } from '../errors.ts';

/** The box a thumbnail fits in, in pixels (the card dialog shows it at 80 px wide; this leaves room for sharp screens). */
export const THUMBNAIL_BOX = 320;

/**
 * The most pixels an attached image may have: 100 megapixels, above today's 48–64 MP phone cameras. Past it an image
 * is refused rather than decoded: a small file claiming a huge size (a decompression bomb) would take gigabytes.
 */
export const MAX_IMAGE_PIXELS = 100_000_000;

// Each upload is read once, from a file deleted right after: libvips' cache would only keep those files open.
sharp.cache(false);

/** sharp's message when the pixel limit stops a decode (its only way of saying so). */
const PIXEL_LIMIT_ERROR = /exceeds pixel limit/i;

const megapixels = (pixels: number) => `${Math.round(pixels / 1_000_000).toLocaleString('en')} megapixels`;

/** The refusal of an image with too many pixels; `size` says how many when the header told. */
function tooManyPixels(fileName: string, size?: { width: number; height: number }): DomainError {
	const is = size ? `is ${size.width.toLocaleString('en')} × ${size.height.toLocaleString('en')} pixels (${megapixels(size.width * size.height)})` : 'has too many pixels';
	return new DomainError('too_large', `“${fileName}” ${is}; a card takes images up to ${megapixels(MAX_IMAGE_PIXELS)}. Scale it down and attach it again.`, 'file');
}

/**
 * Writes a WebP thumbnail of the image at `input` to `output`: within 320 × 320 (never enlarged), turned upright as
 * its EXIF orientation says, without metadata (no camera, place or time leaks into it), first frame only. Resolves
 * true when written, false when the image cannot be decoded (it is kept without a thumbnail); refuses (too_large)
 * an image over MAX_IMAGE_PIXELS before decoding it.
 */
export async function makeThumbnail(input: string, output: string, fileName: string): Promise<boolean> {
	let width: number;
	let height: number;
	try {
		// The header alone, which says the size before a pixel is decoded; unlimited, or sharp's own default limit
		// would hide a bomb's size behind an error that reads like a corrupt file.
		({ width, height } = await sharp(input, { limitInputPixels: false }).metadata());
	} catch {
		return false;
	}
	if (width * height > MAX_IMAGE_PIXELS) throw tooManyPixels(fileName, { width, height });
	try {
		// failOn 'none': as lenient as browsers, which show an image with a flaw (a bad checksum, a cut-off end) as best
		// they can, so the thumbnail shows what opening the file would. Metadata is dropped: sharp keeps none unless asked.
		await sharp(input, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'none' })
			.autoOrient()
			.resize(THUMBNAIL_BOX, THUMBNAIL_BOX, { fit: 'inside', withoutEnlargement: true })
			.webp({ quality: 80 })
			.toFile(output);
		return true;
	} catch (err) {
		// The header passed but decoding found more (frames larger than the image's stated size): still a bomb.
		if (err instanceof Error && PIXEL_LIMIT_ERROR.test(err.message)) throw tooManyPixels(fileName);
		return false;
	}
}
