// The part of fontkit (PDFKit's font reader) used to find which letters a font file has.
declare module 'fontkit' {
  export function openSync(path: string): {characterSet: number[]}
}
