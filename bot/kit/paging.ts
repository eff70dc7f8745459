// Paging of the bot's lists (queues, КАТО tree, production bases, multi-selects, «Мои заявки»).

export interface PageWindow {
  /** The requested page clamped to 0..pages-1. */
  page: number;
  /** At least 1, also for an empty list. */
  pages: number;
  /** Index of the page's first item (`skip` of a query, start of a slice). */
  skip: number;
}

/** The page of a list of `total` items, `size` a page. */
export function pageWindow(total: number, page: number, size: number): PageWindow {
  const pages = Math.max(1, Math.ceil(total / size));
  const p = Math.min(Math.max(0, page), pages - 1);
  return { page: p, pages, skip: p * size };
}
