// Wiring only: the commands live in types (see TravelSense.swift). No closures here: top-level code is
// main-actor isolated, and a closure from it handed to Dispatch traps at run time (DESIGN §2).
TravelSense.main()
