// A CRD of our own whose rules use every Kubernetes CEL library kubetyped models (and transition rules), for the e2e and the differential corpus.
// The URL, format and semver libraries and date/date-time/duration fields need a server of 1.33 or later (semver's normalize argument).
// A messageExpression that concatenates a function's string (unknown size) exceeds the server's cost budget, so messages pick among fixed texts.
export const CEL_GROUP = "celcheck.kubetyped.test";

const str = (maxLength: number) => ({ type: "string", maxLength });
const rule = (text: string, extra: Record<string, unknown> = {}) => ({ rule: text, ...extra });

/** Rules on `spec` itself, one or more per library. */
const specRules = [
  rule("!has(self.minReplicas) || !has(self.maxReplicas) || self.minReplicas <= self.maxReplicas", { message: "minReplicas must not exceed maxReplicas", fieldPath: ".minReplicas" }),
  // lists
  rule("!has(self.ports) || self.ports.isSorted()", { messageExpression: "size(self.ports) > 3 ? 'ports must be sorted (many ports)' : 'ports must be sorted'" }),
  rule("!has(self.ports) || size(self.ports) == 0 || (self.ports.min() >= 1 && self.ports.max() <= 65535)", { message: "ports must be 1-65535", fieldPath: ".ports" }),
  rule("!has(self.weights) || self.weights.sum() <= 100.0", { message: "weights must add up to 100 at most" }),
  rule("!has(self.tags) || self.tags.indexOf('primary') == self.tags.lastIndexOf('primary')", { message: "primary may appear once", reason: "FieldValueDuplicate", fieldPath: ".tags" }),
  // strings
  rule("!has(self.name) || self.name.lowerAscii() == self.name", { message: "name must be lower case", fieldPath: ".name" }),
  rule("!has(self.name) || (self.name.trim() == self.name && self.name.indexOf('--') < 0)", { message: "name must not have spaces around it or a double dash", reason: "FieldValueForbidden", fieldPath: ".name" }),
  rule("!has(self.name) || size(self.name) == 0 || self.name.charAt(0) != '-'", { message: "name must not start with a dash", fieldPath: ".name" }),
  rule("!has(self.path) || self.path.split('/').all(p, size(p) <= 8)", { message: "path segments are at most 8 characters", fieldPath: ".path" }),
  rule("!has(self.path) || self.path.replace('/', '').upperAscii() != 'ADMIN'", { message: "path may not be admin", reason: "FieldValueForbidden" }),
  rule("!has(self.tags) || self.tags.join(',').size() <= 24", { messageExpression: "'tags too long: ' + self.tags.join(',')", fieldPath: ".tags" }),
  rule("!has(self.name) || size(self.name) < 3 || self.name.substring(0, 3) != 'tmp'", { message: "name must not start with tmp" }),
  rule("!has(self.name) || strings.quote(self.name).size() <= 18", { message: "name must be short once quoted" }),
  // regex
  rule("!has(self.version) || self.version.find('^v[0-9]+') != ''", { message: "version must start with v and a number", fieldPath: ".version" }),
  rule("!has(self.version) || self.version.matches('^v[0-9]+([.][0-9]+)*$')", { message: "version must look like v1.2.3", fieldPath: ".version" }),
  rule("!has(self.path) || self.path.findAll('[0-9]').size() <= 3", { message: "path may hold 3 digits at most", fieldPath: ".path" }),
  // quantity
  rule("!has(self.memory) || (isQuantity(self.memory) && quantity(self.memory).isLessThan(quantity('8Gi')))", { message: "memory must be a quantity under 8Gi", fieldPath: ".memory" }),
  rule("!has(self.memory) || !has(self.memoryLimit) || !isQuantity(self.memory) || !isQuantity(self.memoryLimit) || quantity(self.memory).compareTo(quantity(self.memoryLimit)) <= 0", { message: "memory must not exceed memoryLimit", fieldPath: ".memory" }),
  rule("!has(self.memory) || !isQuantity(self.memory) || quantity(self.memory).isInteger()", { message: "memory must be whole bytes", fieldPath: ".memory" }),
  rule("!has(self.memoryLimit) || !isQuantity(self.memoryLimit) || quantity(self.memoryLimit).add(quantity('1Mi')).isGreaterThan(quantity('0'))", { message: "memoryLimit must be above -1Mi" }),
  // IP and CIDR
  rule("!has(self.address) || (isIP(self.address) && ip.isCanonical(self.address))", { message: "address must be a canonical IP address", fieldPath: ".address" }),
  rule("!has(self.address) || !isIP(self.address) || !ip(self.address).isLoopback()", { message: "address must not be a loopback address", fieldPath: ".address" }),
  rule("!has(self.address) || !has(self.network) || !isIP(self.address) || !isCIDR(self.network) || cidr(self.network).containsIP(self.address)", { message: "address must be inside network", fieldPath: ".address" }),
  rule("!has(self.network) || (isCIDR(self.network) && cidr(self.network).prefixLength() >= 8 && cidr(self.network) == cidr(self.network).masked())", { message: "network must be a masked CIDR of /8 or longer", fieldPath: ".network" }),
  // int-or-string, double, maps
  rule("!has(self.maxSurge) || (type(self.maxSurge) == int ? self.maxSurge >= 0 : self.maxSurge.endsWith('%'))", { message: "maxSurge must be a count or a percentage", fieldPath: ".maxSurge" }),
  rule("!has(self.ratio) || (self.ratio >= 0.0 && self.ratio <= 1.0)", { message: "ratio must be within [0, 1]", fieldPath: ".ratio" }),
  rule("!has(self.labels) || self.labels.all(k, size(k) <= 12 && size(self.labels[k]) <= 12)", { message: "label keys and values are at most 12 characters", fieldPath: ".labels" }),
  // URLs
  rule("!has(self.homepage) || isURL(self.homepage)", { message: "homepage must be a URL", fieldPath: ".homepage" }),
  rule("!has(self.homepage) || !isURL(self.homepage) || url(self.homepage).getScheme() in ['https', '']", { messageExpression: "url(self.homepage).getScheme() == 'http' ? 'homepage must use https, not http' : 'homepage must use https'", fieldPath: ".homepage" }),
  rule("!has(self.homepage) || !isURL(self.homepage) || url(self.homepage).getPort() == '' || url(self.homepage).getHostname() != 'localhost'", { message: "homepage must not name a port on localhost", fieldPath: ".homepage" }),
  rule("!has(self.homepage) || !isURL(self.homepage) || (url(self.homepage).getEscapedPath().size() <= 16 && !('debug' in url(self.homepage).getQuery()))", { messageExpression: "url(self.homepage).getEscapedPath().size() > 16 ? 'homepage path is too long' : 'homepage has a debug query'", fieldPath: ".homepage" }),
  rule("!has(self.homepage) || !isURL(self.homepage) || url(self.homepage).getHost() != 'example.com:80'", { message: "homepage must not be example.com:80" }),
  // format
  rule("!has(self.hostLabel) || !format.dns1123Label().validate(self.hostLabel).hasValue()", { messageExpression: "format.dns1123Label().validate(self.hostLabel).value()[0]", fieldPath: ".hostLabel" }),
  rule("!has(self.hostLabel) || !format.named('dns1035LabelPrefix').value().validate(self.hostLabel).hasValue()", { message: "hostLabel must be a DNS-1035 prefix", fieldPath: ".hostLabel" }),
  rule("!has(self.labelKey) || !format.qualifiedName().validate(self.labelKey).hasValue()", { messageExpression: "format.qualifiedName().validate(self.labelKey).value()[format.qualifiedName().validate(self.labelKey).value().size() - 1]", fieldPath: ".labelKey" }),
  rule("!has(self.labelKey) || !format.labelValue().validate(self.labelKey).hasValue() || self.labelKey.size() < 40", { message: "a labelKey that is also a label value must be short" }),
  rule("!has(self.domain) || !format.dns1123Subdomain().validate(self.domain).hasValue()", { messageExpression: "format.dns1123Subdomain().validate(self.domain).value()[0]", fieldPath: ".domain" }),
  rule("!has(self.homepage) || !format.uri().validate(self.homepage).hasValue() || self.homepage.startsWith('/')", { messageExpression: "format.uri().validate(self.homepage).orValue(['absolute'])[0]", fieldPath: ".homepage" }),
  // semver
  rule("!has(self.appVersion) || isSemver(self.appVersion, true)", { message: "appVersion must be a version", fieldPath: ".appVersion" }),
  rule("!has(self.appVersion) || !isSemver(self.appVersion) || semver(self.appVersion).isLessThan(semver('3.0.0'))", { messageExpression: "'appVersion ' + self.appVersion + ' must be below 3.0.0'", fieldPath: ".appVersion" }),
  rule("!has(self.appVersion) || !isSemver(self.appVersion, true) || semver(self.appVersion, true).compareTo(semver('1.0.0')) >= 0", { message: "appVersion must be 1.0.0 or later", fieldPath: ".appVersion" }),
  rule("!has(self.appVersion) || !isSemver(self.appVersion) || semver(self.appVersion).major() != 2 || semver(self.appVersion).minor() >= 1 || semver(self.appVersion).patch() > 0 || semver(self.appVersion).isGreaterThan(semver('2.0.0-rc.1'))", { message: "2.0.0 prereleases must be rc.2 or later", fieldPath: ".appVersion" }),
  // timestamps and durations
  rule("!has(self.start) || !has(self.end) || self.end > self.start", { message: "end must be after start", fieldPath: ".end" }),
  rule("!has(self.start) || !has(self.end) || self.end - self.start <= duration('720h')", { messageExpression: "self.end - self.start > duration('2000h') ? 'window is far over 30 days' : 'window is over 30 days'", fieldPath: ".end" }),
  rule("!has(self.day) || self.day >= timestamp('2020-01-01T00:00:00Z')", { message: "day must be 2020 or later", fieldPath: ".day" }),
  rule("!has(self.timeout) || (self.timeout > duration('0s') && self.timeout <= duration('1h'))", { messageExpression: "self.timeout <= duration('0s') ? 'timeout must be positive' : 'timeout must be 1h at most'", fieldPath: ".timeout" }),
  // transition
  rule("!has(oldSelf.maxReplicas) || !has(self.maxReplicas) || self.maxReplicas >= oldSelf.maxReplicas", { message: "maxReplicas may not decrease", fieldPath: ".maxReplicas" }),
];

/** The Widget CRD: a permissive schema (types and bounds only) under rules of every library. */
export const celCrd = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: `widgets.${CEL_GROUP}` },
  spec: {
    group: CEL_GROUP,
    scope: "Namespaced",
    names: { plural: "widgets", singular: "widget", kind: "Widget", listKind: "WidgetList" },
    versions: [
      {
        name: "v1",
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: "object",
            properties: {
              spec: {
                type: "object",
                "x-kubernetes-validations": specRules,
                properties: {
                  minReplicas: { type: "integer" },
                  maxReplicas: { type: "integer" },
                  ports: { type: "array", maxItems: 8, items: { type: "integer" } },
                  weights: { type: "array", maxItems: 8, items: { type: "number" } },
                  tags: { type: "array", maxItems: 8, items: str(16) },
                  name: str(32),
                  path: str(64),
                  version: str(16),
                  memory: str(16),
                  memoryLimit: str(16),
                  address: str(48),
                  network: str(48),
                  maxSurge: { "x-kubernetes-int-or-string": true, anyOf: [{ type: "integer" }, { type: "string" }] },
                  ratio: { type: "number" },
                  labels: { type: "object", maxProperties: 4, additionalProperties: str(32) },
                  homepage: str(64),
                  hostLabel: str(72),
                  labelKey: str(72),
                  domain: str(64),
                  appVersion: str(32),
                  start: { type: "string", format: "date-time" },
                  end: { type: "string", format: "date-time" },
                  day: { type: "string", format: "date" },
                  timeout: { type: "string", format: "duration" },
                  mode: { ...str(16), "x-kubernetes-validations": [rule("self == oldSelf", { message: "mode is immutable" })] },
                  tier: { ...str(16), "x-kubernetes-validations": [rule("oldSelf.hasValue() ? (oldSelf.value() == self || self == 'gold') : self != 'platinum'", { message: "tier may only become gold, and may not start as platinum", optionalOldSelf: true })] },
                  ranges: {
                    type: "array",
                    maxItems: 4,
                    items: {
                      type: "object",
                      properties: { from: { type: "integer" }, to: { type: "integer" } },
                      "x-kubernetes-validations": [rule("!has(self.from) || !has(self.to) || self.from <= self.to", { messageExpression: "self.from > 100 ? 'range is reversed, and starts above 100' : 'range is reversed'", fieldPath: ".from" })],
                    },
                  },
                },
              },
            },
          },
        },
      },
    ],
  },
} as const;

/** A Widget every rule accepts, on create and as the old object of an update. */
export const validWidgetSpec = {
  minReplicas: 1,
  maxReplicas: 5,
  ports: [80, 443],
  weights: [20.5, 30],
  tags: ["primary", "web"],
  name: "shop",
  path: "api/v1",
  version: "v1.2",
  memory: "512Mi",
  memoryLimit: "1Gi",
  address: "10.1.2.3",
  network: "10.0.0.0/8",
  maxSurge: "25%",
  ratio: 0.5,
  labels: { app: "shop" },
  homepage: "https://shop.example.com/docs?lang=en",
  hostLabel: "shop-1",
  labelKey: "example.com/shop",
  domain: "shop.example.com",
  appVersion: "1.4.2",
  start: "2026-01-01T10:00:00Z",
  end: "2026-01-02T10:00:00Z",
  day: "2026-01-01",
  timeout: "30s",
  mode: "fast",
  tier: "silver",
  ranges: [{ from: 1, to: 3 }],
};

/** Type-correct values per field, valid and invalid for the rules, that the corpus draws from. */
export const widgetFieldPool: Record<string, readonly unknown[]> = {
  minReplicas: [0, 1, 5, 6, 100, -3],
  maxReplicas: [0, 1, 4, 5, 10],
  ports: [[], [80], [443, 80], [1, 65535], [0, 80], [80, 70000], [22, 22]],
  weights: [[], [50, 50], [60.5, 40], [100.5], [33.3, 33.3, 33.3]],
  tags: [[], ["primary"], ["primary", "primary"], ["a", "b", "primary"], ["verylongtag12345", "anotherlongtag1"], ["x"]],
  name: ["shop", "Shop", " shop", "shop--x", "-shop", "tmpfile", "tm", "", "a\"b", "abcdefghijklmnopq", "ab\\c"],
  path: ["api/v1", "a/b/c", "verylongsegment/x", "admin", "/admin", "ad/min", "1/2/3/4", "a1b2", ""],
  version: ["v1", "v1.2.3", "1.2", "v", "version1", "v1.x", "v10", "v1..2"],
  memory: ["512Mi", "1Gi", "8Gi", "9G", "1.5", "100m", "abc", "0", "2k", "1e3", "7.9Gi", "-1"],
  memoryLimit: ["1Gi", "256Mi", "10Gi", "-2Mi", "x1", "500m", "1.5Ki"],
  address: ["10.1.2.3", "127.0.0.1", "192.168.0.1", "10.01.2.3", "::1", "2001:db8::1", "2001:DB8::1", "2001:db8:0:0:0:0:0:1", "not-an-ip", "10.255.255.255"],
  network: ["10.0.0.0/8", "10.1.0.0/16", "10.1.2.3/8", "192.168.0.0/16", "0.0.0.0/0", "10.0.0.0/33", "2001:db8::/32", "bad"],
  maxSurge: [0, 3, -1, "25%", "25", "100%", ""],
  ratio: [0, 0.5, 1, 1.5, -0.1],
  labels: [{}, { app: "shop" }, { averyveryverylongkey: "x" }, { app: "averyveryverylongvalue" }],
  homepage: ["https://shop.example.com/docs?lang=en", "http://shop.example.com/", "/relative/ok", "../relative", "https://example.com:80/", "https://localhost:8443/x", "https://exa mple.com/", "https://shop.example.com/a%20b%20c%20d%20e/", "https://shop.example.com/?debug=1&x=2", "https://shop.example.com:99999/", "ftp://files.example.com/pub", "https://shop.example.com/%zz", "mailto:shop@example.com", "*", ""],
  hostLabel: ["shop-1", "Shop", "shop.1", "1shop", "shop-", "-shop", "a".repeat(64), "x", ""],
  labelKey: ["example.com/shop", "shop", "a/b/c", "/shop", "Example.com/shop", "example.com/", "-shop", "example.com/" + "s".repeat(64), "x".repeat(45)],
  domain: ["shop.example.com", "Shop.example.com", "shop..example.com", "-shop.example.com", "shop", "shop_1.example.com"],
  appVersion: ["1.4.2", "v1.4", "1.4", "0.9.0", "3.0.0", "2.0.0-rc.1", "2.0.0-rc.2", "2.0.0-alpha", "2.0.0", "01.2.3", "1.2.3-01", "1.2.3+build.7", "banana", "2.5.0-beta+exp.sha.5114f85"],
  start: ["2026-01-01T10:00:00Z", "2026-01-03T10:00:00Z", "2025-11-01T00:00:00Z", "2026-01-01T10:00:00.500Z", "2026-01-01T12:00:00+02:00"],
  end: ["2026-01-02T10:00:00Z", "2026-01-01T09:00:00Z", "2026-03-15T00:00:00Z", "2026-01-01T10:00:00.250Z", "2026-01-01T10:00:00Z"],
  day: ["2026-01-01", "2019-12-31", "2020-01-01", "2024-02-29"],
  timeout: ["30s", "1h", "1h0m1s", "0s", "-5m", "90m", "1.5h", "250ms"],
  mode: ["fast", "slow", "safe"],
  tier: ["silver", "gold", "platinum", "bronze"],
  ranges: [[], [{ from: 1, to: 3 }], [{ from: 5, to: 2 }], [{ from: 1 }, { from: 9, to: 8 }], [{ from: 2, to: 2 }]],
};
