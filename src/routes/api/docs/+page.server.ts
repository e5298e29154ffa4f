import type { PageServerLoad } from './$types';
import { openApiDocument } from '$lib/server/api-v1/openapi';
import { referenceOf } from '$lib/server/api-v1/reference';

export const load: PageServerLoad = ({ url }) => ({ reference: referenceOf(openApiDocument()), origin: url.origin });
