// Streaming XML -> small trees of the elements a format cares about (an Atom <entry>, an OAI-PMH
// <record>, a <resumptionToken>), one at a time, so a response of any size needs memory for one
// record only. Element names are local names (prefixes dropped). Malformed XML ends the stream with
// an error naming its line.
import { SaxesParser } from 'saxes';

export type XmlNode = { name: string; attrs: Record<string, string>; children: XmlNode[]; text: string; line: number };
export type XmlItem = { node: XmlNode } | { error: string; line: number };

const local = (name: string): string => name.slice(name.indexOf(':') + 1);

export async function* xmlElements(chunks: AsyncIterable<string | Buffer>, wanted: ReadonlySet<string>): AsyncGenerator<XmlItem> {
  const parser = new SaxesParser({ position: true });
  const out: XmlItem[] = [];
  const stack: XmlNode[] = []; // the open elements inside the current wanted element
  parser.on('opentag', (tag) => {
    const name = local(tag.name);
    if (stack.length === 0 && !wanted.has(name)) return;
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(tag.attributes)) attrs[local(k)] = typeof v === 'string' ? v : v.value;
    const node: XmlNode = { name, attrs, children: [], text: '', line: parser.line };
    stack.at(-1)?.children.push(node);
    stack.push(node);
  });
  parser.on('text', (t) => {
    const top = stack.at(-1);
    if (top) top.text += t;
  });
  parser.on('cdata', (t) => {
    const top = stack.at(-1);
    if (top) top.text += t;
  });
  parser.on('closetag', () => {
    const node = stack.pop();
    if (node && stack.length === 0) out.push({ node });
  });
  try {
    for await (const c of chunks) {
      parser.write(typeof c === 'string' ? c : c.toString('utf8'));
      yield* out.splice(0);
    }
    parser.close();
    yield* out.splice(0);
  } catch (e) {
    yield* out.splice(0);
    yield { error: `malformed XML: ${(e as Error).message.replace(/^(?:[^:]*:)?\d+:\d+: /, '')}`, line: parser.line };
  }
}

/** The first child with this local name. */
export const child = (n: XmlNode, name: string): XmlNode | undefined => n.children.find((c) => c.name === name);
export const children = (n: XmlNode, name: string): XmlNode[] => n.children.filter((c) => c.name === name);
/** The trimmed text of the first child with this name, or undefined when absent or empty. */
export function textOf(n: XmlNode, name: string): string | undefined {
  const t = child(n, name)?.text.trim();
  return t ? t : undefined;
}
