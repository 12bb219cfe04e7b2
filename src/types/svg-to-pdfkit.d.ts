// svg-to-pdfkit ships no types: the one function it exports.
declare module 'svg-to-pdfkit' {
  function svgToPdf(
    document: PDFKit.PDFDocument,
    svg: string,
    x: number,
    y: number,
    options?: Record<string, unknown>,
  ): void
  export default svgToPdf
}
