// MathJax itself, loaded only when a reader asks for it (_ext/mathjax4.py):
// the page's maths was typeset when the book was built. Deferred, after
// Sphinx's `window.MathJax = {...}`. On the first right click (or the
// context-menu key) on a formula, each formula's TeX (kept in its block's
// data-tex) goes back into the page and MathJax starts on it with its
// menu, which opens on that formula. A reader who switched speech or
// Braille on in the menu (MathJax keeps it in localStorage) gets MathJax at
// once, from the next page on: MathJax attaches the speech to the formulas
// it typesets itself, without ui/lazy (MathJax 4.1.3 enriches lazily
// typeset formulas but attaches no speech to them: mathjax/MathJax#3228).
(() => {
  const config = window.MathJax;
  if (!config) return;  // a page without maths
  const startup = new URL('mathjax/startup.js', document.currentScript.src);
  const menu = {settings: {enrich: false, speech: false, braille: false,
                          assistiveMml: true}};
  let stored = {};
  try {
    stored = JSON.parse(localStorage.getItem('MathJax-Menu-Settings')) || {};
  } catch (error) {}
  config.options = {...config.options, menuOptions: menu};
  config.loader.load = config.loader.load.concat('ui/menu');
  const start = () => {
    for (const block of document.querySelectorAll('.math[data-tex]')) {
      for (const box of block.querySelectorAll(':scope > mjx-container'))
        box.remove();
      block.append(block.dataset.tex);
      block.removeAttribute('data-tex');
    }
    document.head.append(Object.assign(document.createElement('script'),
                                       {src: startup.href}));
    return new Promise((resolve) => {
      config.startup = {...config.startup, ready() {
        MathJax.startup.defaultReady();
        MathJax.startup.promise.then(resolve);
      }};
    });
  };
  if (stored.speech || stored.braille) {
    menu.settings.enrich = true;
    config.loader.load = config.loader.load.filter((c) => c !== 'ui/lazy');
    start();
    return;
  }
  const open = async (event) => {
    const box = event.target.closest && event.target.closest('mjx-container');
    if (!box) return;
    event.preventDefault();
    document.removeEventListener('contextmenu', open);
    const host = box.parentElement, {clientX, clientY} = event;
    await start();
    // the formula typeset again, with the menu attached (ui/lazy typesets
    // it in an idle callback after startup)
    let again = null;
    for (let t = 0; !again && t < 250; t++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      again = host.querySelector('mjx-container[ctxtmenu_counter]');
    }
    if (!again) return;
    again.focus();
    again.dispatchEvent(new MouseEvent('contextmenu',
      {bubbles: true, cancelable: true, clientX, clientY}));
  };
  document.addEventListener('contextmenu', open);
})();
