import pkg from '../../../../package.json' with { type: 'json' };

/** This Flowdeck's version (package.json), written into exports so a reader knows which version made them. */
export const APP_VERSION: string = pkg.version;
