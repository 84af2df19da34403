/** A reason the zip itself is unacceptable; verifyBundle turns it into a failed zip_structure check. */
export class StructureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StructureError';
  }
}
