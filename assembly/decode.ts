// Kernels: decode (see the owning module's header comment once written).
