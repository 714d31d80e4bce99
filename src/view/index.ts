export { startViewer, type Viewer, type ViewerOptions } from './server.js';
export { resolveInside, type Resolved } from './safe-path.js';
export { buildCatalog, type ViewerImage } from './catalog.js';
export { BoxStore } from './box-store.js';
