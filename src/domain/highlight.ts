// The marks around matched words in a search result's title and snippet: two control characters that
// no stored text holds (ingest drops them), put in by either engine's full-text index and by search's
// own marker, and turned into markup only by the page that shows them (escaped text first). Pure.
export const HIT_START = '\u0002';
export const HIT_END = '\u0003';
