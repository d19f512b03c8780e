/**
 * Environment values that break naive quoting: each must reach the app byte for byte, through
 * YAML, cloud-init, systemd's EnvironmentFile= parser and a shell's `.`.
 */
export const TRICKY_ENVIRONMENT: Readonly<Record<string, string>> = {
  PLAIN: "plain",
  EMPTY: "",
  SPACES: "  leading, inner  and trailing  ",
  DOUBLE_QUOTES: 'say "hi" and "',
  SINGLE_QUOTES: "it's 'quoted' '",
  BACKSLASHES: "C:\\dir\\ \\n \\t \\\\ \\",
  BACKSLASH_NEWLINE: "continued\\\nline",
  DOLLARS: "$HOME ${PATH} $(id) $1 $$ $",
  BACKTICKS: "`id` `",
  NEWLINES: "line 1\nline 2\n\nline 4\n",
  CARRIAGE_RETURN: "a\r\nb\r",
  TABS: "\ta\tb\t",
  HASH: "#not a comment",
  SEMICOLON: "; not a comment either",
  EQUALS: "a=b==c=",
  SHELL_METACHARACTERS: "a|b&c;d<e>f(g)h*i?j[k]l!m{n}o~p^q",
  YAML_BOOLEAN: "yes",
  YAML_NULL: "~",
  YAML_OCTAL: "0600",
  YAML_SYNTAX: "- item: {flow: [*alias, &anchor, !tag]} %directive # comment",
  JSON: '{"a": [1, "two"], "b": null}',
  UNICODE: "héllo ✓ 😀 日本",
  PEM: "-----BEGIN PRIVATE KEY-----\nMIIB+/=\n-----END PRIVATE KEY-----\n",
  LONG: "x".repeat(4000),
};
