"""Keep the memory freed between chunks of sites in the process.

Indicators for many sites allocate and free the same few megabytes per chunk
(app.core.indicators.within, disc_totals). glibc's malloc serves blocks above its mmap
threshold by ``mmap`` and gives the free top of its heap back to the system above its
trim threshold (twice the mmap threshold); both start low (128 KiB) and rise only when
a large mmapped block is freed. Until then every chunk gets fresh pages from the
kernel, one page fault per 4 KiB: measured, 430 000 faults and 40 % of the CPU time of
200 000 point sites. Freeing one large, never touched block once raises both
thresholds (glibc's "dynamic mmap threshold", mallopt(3)); at most twice that block's
size of freed memory then stays in the process. Elsewhere (no glibc) this costs an
allocation and does nothing else.
"""

from __future__ import annotations

import numpy as np

#: The block freed once: below glibc's largest dynamic threshold (32 MiB on 64 bits).
BLOCK_BYTES = 24 * 2**20

_raised = False


def keep_freed_memory() -> None:
    """Raise the allocator's thresholds once per process (see the module's note)."""
    global _raised
    if _raised:
        return
    _raised = True
    block = np.empty(BLOCK_BYTES // 8)  # never written: no page of it is faulted in
    del block
