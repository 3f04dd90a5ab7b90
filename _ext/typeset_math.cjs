// Typesets the book's TeX once, at build time, with the vendored MathJax 4
// in node (run by _ext/mathjax4.py: node typeset_math.cjs VENDOR_DIR).
// Reads {fontURL, widths, scale, items: [[tex, display, whole], ...]} as
// JSON on stdin (scale: the size of maths against the text's, as on the
// page);
// writes {html: [...], css, errors} on stdout, where css is the stylesheet
// of every formula typeset. MathJax breaks a display formula's lines for
// one column width: each one is typeset at every width of `widths` (widest
// first), and a narrower copy is kept only where its lines differ, as
// [html, narrowest width it is right for]. A formula marked `whole` (a
// matrix, which _ext/mathjax4.py recognises) is never line-broken.
const path = require('path');
const root = path.resolve(process.argv[2]);
const MathJax = require(path.join(root, 'node', 'node-main.cjs'));
const EM = 16;  // the book's body text is 16 px
// the width that MathJax's own padding (2 px each side) takes
const PADDING = 4;

const input = [];
process.stdin.on('data', (chunk) => input.push(chunk));
process.stdin.on('end', () => main(JSON.parse(Buffer.concat(input))));

async function main(job) {
  await MathJax.init({
    loader: {load: ['input/tex', 'output/chtml', 'a11y/assistive-mml'],
             // the vendored font, not the npm package node-main expects
             paths: {mathjax: root, fonts: path.join(root, 'fonts'),
                     'mathjax-newcm': path.join(root, 'fonts',
                                                'mathjax-newcm-font')}},
    // an unknown macro or a TeX error fails the build, not a red formula
    tex: {packages: {'[-]': ['noundefined']},
          formatError: (jax, error) => { throw error; }},
    output: {displayOverflow: 'linebreak', linebreaks: {inline: true},
             fontURL: job.fontURL},
  });
  const adaptor = MathJax.startup.adaptor;
  const x_height = MathJax.startup.output.font.params.x_height;
  const errors = [];
  const typeset = async (tex, display, width) => {
    // typeset at size 1 (an ex of 0.442 em is the font's own, so MathJax
    // scales nothing); the stylesheet scales it: a column of `width` px
    // holds (width - PADDING) / scale px of maths at size 1
    const node = await MathJax.tex2chtmlPromise(tex, {
      display, em: EM, ex: EM * x_height,
      containerWidth: (width - PADDING) / job.scale});
    // formulas are in the tab order, as MathJax's menu (loaded on demand)
    // is opened with the context-menu key; MathJax 4 marks every node with
    // its TeX (data-latex): the page keeps the formula's TeX once
    adaptor.setAttribute(node, 'tabindex', '0');
    return adaptor.outerHTML(node).replace(/ data-latex="[^"]*"/g, '');
  };
  const html = [];
  for (const [tex, display, whole] of job.items) {
    try {
      const widths = whole ? [1e6] : job.widths;
      if (!display) {
        html.push(await typeset(tex, false, widths[0]));
        continue;
      }
      const copies = [];
      for (const width of widths) {
        const out = await typeset(tex, true, width);
        const last = copies[copies.length - 1];
        if (last && last[0] === out) last[1] = width;
        else copies.push([out, width]);
      }
      html.push(copies);
    } catch (error) {
      errors.push(`${error.message}: ${tex}`);
      html.push(null);
    }
  }
  // MathJax in a browser sizes maths so that its x-height is the text's
  // (matchFontHeight); 1ex in font-size is the text's x-height
  const css = adaptor.textContent(MathJax.chtmlStylesheet())
    + `\nmjx-container[jax="CHTML"] { font-size: calc(1ex / ${x_height}); }`;
  process.stdout.write(JSON.stringify({html, css, errors}));
}
