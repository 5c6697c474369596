// Assembly-wide xunit settings for the boot tests.
// Each boot runs a whole emulated machine (QEMU TCG, no KVM); the CI machine has two cores, so boots run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
