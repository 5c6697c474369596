/* glibc malloc's fragmentation figure for the heap bench (tests/Kernel.HeapBench/Fragmentation.cs), the same way as
 * the kernel's designs: the random-actions workload until the first allocation that does not fit in a fixed heap.
 * glibc cannot be handed a fixed region, so the heap is capped by watching it: everything comes from the main arena's
 * brk heap (M_MMAP_MAX 0: no mmap'd chunks; M_TOP_PAD 0: the heap grows by what a request needs, rounded to a page;
 * M_TRIM_THRESHOLD huge: it never shrinks), and the first malloc after which the heap extends past heap_bytes (sbrk(0)
 * minus its start) counts as the first failure. One process per run, so each starts from an empty heap.
 * Usage: glibc_fragmentation HEAP_BYTES SLOTS MAX_SIZE MIXED(0|1) SEED MAX_STEPS
 *        -> prints "live_requested_bytes steps failed(0|1)" */
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static uint64_t state;

static uint64_t next(void)
{
    uint64_t x = state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    state = x;
    return x * 0x2545F4914F6CDD1DULL;
}

static struct { void *p; uint64_t size; } slots[1 << 20];

int main(int argc, char **argv)
{
    if (argc != 7)
        return 2;
    uint64_t heap = strtoull(argv[1], 0, 10), count = strtoull(argv[2], 0, 10), max = strtoull(argv[3], 0, 10);
    int mixed = atoi(argv[4]);
    state = strtoull(argv[5], 0, 10);
    uint64_t max_steps = strtoull(argv[6], 0, 10);
    int failed = 0;
    if (count > (1 << 20))
        return 2;
    mallopt(M_MMAP_MAX, 0);
    mallopt(M_TOP_PAD, 0);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
    char *base = sbrk(0);
    uint64_t live = 0, steps = 0;
    for (; steps < max_steps; steps++) {
        uint64_t r = next();
        uint64_t index = ((r >> 32) * count) >> 32;
        if (slots[index].p == 0) {
            uint64_t range = max, alignment = 16;
            if (mixed) {
                uint64_t r2 = next();
                range = 1ULL << (3 + r2 % 10);
                if ((r2 >> 8) % 100 >= 60)
                    alignment = 1ULL << ((r2 >> 16) % 13);
            }
            uint64_t size = 1 + (((r & 0xFFFFFFFFULL) * range) >> 32);
            void *p = alignment <= 16 ? malloc(size) : memalign(alignment, size);
            if (p == 0 || (uint64_t)((char *)sbrk(0) - base) > heap) {
                failed = 1;
                break;
            }
            *(volatile char *)p = 1;
            ((volatile char *)p)[size - 1] = 1;
            slots[index].p = p;
            slots[index].size = size;
            live += size;
        } else {
            free(slots[index].p);
            live -= slots[index].size;
            slots[index].p = 0;
        }
    }
    printf("%llu %llu %d\n", (unsigned long long)live, (unsigned long long)steps, failed);
    return 0;
}
