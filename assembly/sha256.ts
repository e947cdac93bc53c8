// Kernels: sha256 (see the owning module's header comment once written).
