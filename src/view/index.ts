export { BoxStore } from './box-store.js';
export { buildCatalog, type ViewerImage } from './catalog.js';
export { type Resolved, resolveInside } from './safe-path.js';
export { startViewer, type Viewer, type ViewerOptions } from './server.js';
