// Kernel: what every module shares (see DESIGN §1).
