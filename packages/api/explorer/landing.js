// Added to the Apollo Sandbox landing page: a link to the offline explorer, and a switch to it when Apollo's CDN
// cannot be reached (the page then has nothing to show). Loaded from the api itself, which the page's CSP allows.
(() => {
  const explorer = document.currentScript.dataset.explorer;
  const cdn = /^https:\/\/[a-z0-9.-]+\.cdn\.apollographql\.com\//;
  // A script that fails to load fires `error` on the element, which only a capturing listener sees.
  window.addEventListener(
    'error',
    (event) => {
      if (event.target instanceof HTMLScriptElement && cdn.test(event.target.src)) location.replace(explorer);
    },
    true,
  );
  const addLink = () => {
    if (!document.body) return setTimeout(addLink, 50);
    const link = document.createElement('a');
    link.href = explorer;
    link.id = 'offline-explorer-link';
    link.textContent = 'Offline explorer (GraphiQL)';
    // Styled through the DOM: the page's CSP refuses inline styles without Apollo's nonce.
    Object.assign(link.style, {
      position: 'fixed',
      right: '12px',
      bottom: '12px',
      zIndex: '2147483647',
      padding: '6px 10px',
      background: '#fff',
      color: '#1d4ed8',
      font: '13px system-ui, sans-serif',
      border: '1px solid #cbd5e1',
      borderRadius: '6px',
    });
    document.body.append(link);
  };
  addLink();
})();
