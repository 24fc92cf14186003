// Emulator tiers boot a JVM and move real bytes: give hooks and tests room (jest's testTimeout is global-only).
jest.setTimeout(120_000);
