/** The text does not have the structure of the cookbook: importing it would lose or misplace content. */
export class EditionFormatError extends Error {
  override name = "EditionFormatError";
}
