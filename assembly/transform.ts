// Kernels: transform (see the owning module's header comment once written).
