// Markdown as TensorBoard's text plugin shows it, made safe: marked renders, DOMPurify removes
// every script, handler and dangerous URL before anything reaches the DOM.

import { Marked } from 'marked';
import DOMPurify from 'dompurify';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

// HTML written inside a summary is shown as the text it is, never interpreted: a summary that
// says <script>alert(1)</script> reads exactly that. DOMPurify below is a second line of defence.
const marked = new Marked({
  gfm: true,
  renderer: {
    html: (token) => token.text.replace(/[&<>"']/g, (c) => ESCAPES[c]),
  },
});

export function renderMarkdown(source: string, inline = false): DocumentFragment {
  const html = inline ? marked.parseInline(source, { async: false }) : marked.parse(source, { async: false });
  const clean = DOMPurify.sanitize(html as string, { USE_PROFILES: { html: true }, RETURN_DOM_FRAGMENT: true });
  // Links leave the app in a new tab, without access to it.
  clean.querySelectorAll('a[href]').forEach((a) => {
    a.setAttribute('target', '_blank');
    a.setAttribute('rel', 'noopener noreferrer');
  });
  return clean;
}
