/**
 * The only platform globals shared/ may use. They exist, with the same WHATWG
 * behaviour, in Node, in Chromium and in Electron; everything else from Node or the
 * DOM is out of reach here on purpose (tsconfig.shared.json has no DOM or Node lib).
 */
declare class URL {
  constructor(input: string, base?: string | URL);
  static canParse(input: string, base?: string): boolean;
  hash: string;
  host: string;
  hostname: string;
  href: string;
  readonly origin: string;
  password: string;
  pathname: string;
  port: string;
  protocol: string;
  search: string;
  username: string;
  toString(): string;
}
