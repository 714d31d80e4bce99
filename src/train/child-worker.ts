/** The child side of trainInChild (child.ts): one train() call, its result sent back over IPC. */
import { train } from './loop.js';
import type { ChildReply, ChildRequest } from './child.js';

// The parent gone (killed), nothing is left to report to: stop instead of training on.
const orphaned = () => process.exit(1);
process.on('disconnect', orphaned);

process.once('message', (request: ChildRequest) => {
  train(request.data, request.runDir, request.options, request.resume)
    .then(
      (result): ChildReply => ({ ok: true, result }),
      (err: Error): ChildReply => ({ ok: false, message: err.message }),
    )
    .then((reply) =>
      process.send!(reply, () => {
        process.off('disconnect', orphaned);
        process.disconnect();
      }),
    );
});
