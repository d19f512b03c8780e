import { closestName } from "./closest-name";
import { CONFIG_NAMESPACE, configKey } from "./settings";

/** Namespaces every stack may use besides `phoenix` and the platforms' providers. */
const ENGINE_NAMESPACES = ["pulumi"];

/** What a stack's config may hold besides the `phoenix:` settings. */
export interface KnownConfig {
  /** Every `phoenix:` setting name (neutral and every platform's). */
  readonly settings: readonly string[];
  /** Provider namespaces and their keys (a provider namespace to its keys), of every platform. */
  readonly providerConfig: Readonly<Record<string, readonly string[]>>;
}

/**
 * Problems with config keys nothing reads: a `phoenix:` key that is no setting, a provider key
 * its provider does not have, or a key in a namespace nothing reads. Each names the closest
 * known key when there is one, since such keys are almost always typos that silently lose a
 * setting.
 *
 * @param keys every full config key of the stack (`ns:name`)
 */
export function unknownKeyProblems(keys: readonly string[], known: KnownConfig): string[] {
  const problems: string[] = [];
  const phoenixKeys = known.settings.map(configKey);
  const providerKeys = Object.entries(known.providerConfig).flatMap(([ns, names]) =>
    names.map((n) => `${ns}:${n}`),
  );
  const namespaces = [CONFIG_NAMESPACE, ...ENGINE_NAMESPACES, ...Object.keys(known.providerConfig)];
  for (const raw of keys) {
    // Keys come from YAML: show odd characters escaped rather than break the message.
    const key = /^[\w:.-]+$/.test(raw) ? raw : JSON.stringify(raw);
    const namespace = raw.slice(0, Math.max(raw.indexOf(":"), 0));
    const name = raw.slice(raw.indexOf(":") + 1);
    // A phoenix setting put in another namespace is the likeliest mistake of all.
    const misplaced = known.settings.includes(name) ? [configKey(name)] : undefined;
    if (ENGINE_NAMESPACES.includes(namespace)) continue;
    if (namespace === CONFIG_NAMESPACE) {
      problems.push(...unknownSettingProblems(CONFIG_NAMESPACE, [raw], known.settings));
    } else if (Object.hasOwn(known.providerConfig, namespace)) {
      if (providerKeys.includes(raw)) continue;
      const own = providerKeys.filter((k) => k.startsWith(`${namespace}:`));
      problems.push(
        `${key}: unknown key of the ${namespace} provider${suggest(key, misplaced ?? own)}; allowed: one of ${own.join(", ")}`,
      );
    } else {
      problems.push(
        `${key}: unknown namespace ${JSON.stringify(namespace)}${suggest(key, misplaced ?? [...phoenixKeys, ...providerKeys])}; allowed: keys in the namespaces ${namespaces.join(", ")}`,
      );
    }
  }
  return problems;
}

/**
 * Problems with the keys of a program's own namespace that are none of its settings: almost
 * always typos, which would otherwise silently lose a setting to its default. Keys of other
 * namespaces are left alone.
 *
 * @param namespace the program's config namespace (its project name)
 * @param keys every full config key of the stack (`ns:name`)
 * @param settings every setting name the program reads
 * @returns one problem per unknown key, naming the closest setting when there is one
 */
export function unknownSettingProblems(
  namespace: string,
  keys: readonly string[],
  settings: readonly string[],
): string[] {
  const known = settings.map((name) => `${namespace}:${name}`);
  return keys
    .filter((raw) => raw.startsWith(`${namespace}:`) && !known.includes(raw))
    .map((raw) => {
      // Keys come from YAML: show odd characters escaped rather than break the message.
      const key = /^[\w:.-]+$/.test(raw) ? raw : JSON.stringify(raw);
      return `${key}: unknown setting${suggest(key, known)}; allowed: one of ${settings.join(", ")}`;
    });
}

/** ` (did you mean x?)` for the closest candidate, or nothing; a single candidate is certain. */
function suggest(key: string, candidates: readonly string[]): string {
  const closest = candidates.length === 1 ? candidates[0] : closestName(key, candidates);
  return closest === undefined ? "" : ` (did you mean ${closest}?)`;
}
