// Folders that may hold submission data are created 0700, whatever the umask.
import { chmod, mkdir } from "node:fs/promises";

export async function ensurePrivateDir(path: string): Promise<void> {
  await mkdir(path, { recursive: true, mode: 0o700 });
  await chmod(path, 0o700);
}
