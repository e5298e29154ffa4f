import { z } from 'zod';

// Our Content-Security-Policy forbids eval. Left alone, zod probes `new Function` the first time it parses an object
// (to compile faster parsers), which the browser blocks and reports as a CSP violation on every board page.
z.config({ jitless: true });
