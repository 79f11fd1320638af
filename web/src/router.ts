// A tiny hash router: "#/live?window=1m&k=10". Each page mounts into <main id="page">
// and returns a cleanup function; adding a page is one entry in `pages` (main.ts).

export interface Route {
  path: string;
  params: URLSearchParams;
}

export interface Page {
  path: string;
  title: string;
  mount(root: HTMLElement, route: Route): () => void;
}

export function currentRoute(): Route {
  const hash = window.location.hash.replace(/^#/, '') || '/live';
  const [path, query = ''] = hash.split('?', 2);
  return { path, params: new URLSearchParams(query) };
}

/** Rewrites the hash query without re-mounting the page (replaceState fires no hashchange). */
export function replaceParams(params: Record<string, string>): void {
  const { path } = currentRoute();
  const query = new URLSearchParams(params).toString();
  history.replaceState(null, '', `#${path}${query ? `?${query}` : ''}`);
}

export function startRouter(pages: Page[], root: HTMLElement, nav: HTMLElement): void {
  let unmount: (() => void) | null = null;
  let mountedPath = '';
  for (const page of pages) {
    const link = document.createElement('a');
    link.href = `#${page.path}`;
    link.textContent = page.title;
    link.dataset.path = page.path;
    nav.appendChild(link);
  }
  const render = () => {
    const route = currentRoute();
    const page = pages.find((p) => p.path === route.path) ?? pages[0];
    if (page.path === mountedPath) return;
    unmount?.();
    root.replaceChildren();
    mountedPath = page.path;
    for (const link of nav.querySelectorAll('a')) {
      link.classList.toggle('active', link.dataset.path === page.path);
    }
    unmount = page.mount(root, { ...route, path: page.path });
  };
  window.addEventListener('hashchange', render);
  render();
}
