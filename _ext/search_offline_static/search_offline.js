// The search page's snippets on file:// (_ext/search_offline.py): there,
// fetch() of a page is refused, so this loads _static/search-texts.js (the
// text of every page, which the extension writes) with a <script> tag,
// which file:// allows, and answers the search's fetch() from it. Over HTTP
// it does nothing.
(() => {
  if (location.protocol !== 'file:') return;
  const root = new URL(document.documentElement.dataset.content_root,
                       location.href);
  const texts = new Promise((resolve) => {
    const script = document.createElement('script');
    script.src = new URL('_static/search-texts.js', root).href;
    script.onload = () => resolve(window.BOOK_PAGE_TEXTS || {});
    script.onerror = () => resolve({});
    document.head.appendChild(script);
  });
  const fetchOverNetwork = window.fetch;
  window.fetch = async (resource, options) => {
    const url = new URL(String(resource), location.href);
    const page = url.pathname.slice(root.pathname.length);
    const known = await texts;
    if (url.protocol === 'file:' && page in known)
      return new Response(known[page],
                          {headers: {'Content-Type': 'text/html'}});
    return fetchOverNetwork(resource, options);
  };
})();
