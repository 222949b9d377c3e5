export interface PickedFile {
  file: File;
  /** Path inside a dropped or chosen folder, else the file name. */
  path: string;
}

function readEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

async function filesUnder(entry: FileSystemEntry): Promise<PickedFile[]> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    return [{ file, path: entry.fullPath.replace(/^\//, "") }];
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  const found: PickedFile[] = [];
  // readEntries answers in batches (about 100 in Chromium) until it returns none.
  for (let batch = await readEntries(reader); batch.length > 0; batch = await readEntries(reader)) {
    for (const child of batch) found.push(...(await filesUnder(child)));
  }
  return found;
}

/** Every file in a drop, walking into dropped folders. */
export async function filesFromDrop(transfer: DataTransfer): Promise<PickedFile[]> {
  // Entries must be taken synchronously: the DataTransfer is emptied once the drop handler yields.
  const items = [...transfer.items].filter((item) => item.kind === "file");
  const entries = items.map((item) => ({ entry: item.webkitGetAsEntry(), file: item.getAsFile() }));
  const picked = await Promise.all(
    entries.map(({ entry, file }) =>
      entry ? filesUnder(entry) : Promise.resolve(file ? [{ file, path: file.name }] : []),
    ),
  );
  return picked.flat();
}

/** Files from an <input type=file>, with their folder path when a folder was chosen. */
export function filesFromInput(list: FileList): PickedFile[] {
  return [...list].map((file) => ({ file, path: file.webkitRelativePath || file.name }));
}
