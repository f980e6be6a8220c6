// Test helper (not a test): whether a process id is still alive (signal 0 only checks).
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
