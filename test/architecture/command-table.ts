/** Reads the CLI's command table from electron/cli.ts with the TypeScript compiler's parser (not a regex). */
import ts from 'typescript';

/** The keys of `const COMMANDS = { … }` in electron/cli.ts, read with the compiler API. */
export function commandTableKeys(fileName: string, text: string, table = 'COMMANDS'): string[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  let keys: string[] | null = null;
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === table && node.initializer) {
      let init: ts.Expression = node.initializer;
      while (ts.isAsExpression(init) || ts.isSatisfiesExpression(init) || ts.isParenthesizedExpression(init))
        init = init.expression;
      if (ts.isObjectLiteralExpression(init)) {
        keys = init.properties.map((p) => {
          if (!p.name || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)))
            throw new Error(
              `COMMANDS has a computed or spread key at line ${sf.getLineAndCharacterOfPosition(p.getStart(sf)).line + 1}`,
            );
          return p.name.text;
        });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  if (!keys) throw new Error(`no \`const ${table} = { … }\` object literal in ${fileName}`);
  return keys;
}
