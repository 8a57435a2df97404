// The one CEL environment every rule runs in: CEL's standard library, the strings extension and Kubernetes' own libraries.
// Not versioned: a served CRD's rules passed its server's own environment, so a function it calls is one that server serves.
import { celEnv, type CelEnv } from "@bufbuild/cel";
import { strings } from "@bufbuild/cel/ext";
import { opaqueRegistry } from "./opaque.js";
import { listFunctions } from "./libs/lists.js";
import { regexFunctions } from "./libs/regex.js";
import { quantityFunctions } from "./libs/quantity.js";
import { ipFunctions } from "./libs/ip.js";
import { optionalFunctions } from "./libs/optional.js";
import { urlFunctions } from "./libs/url.js";
import { formatFunctions } from "./libs/format.js";
import { semverFunctions } from "./libs/semver.js";

let shared: CelEnv | undefined;

export function kubernetesEnv(): CelEnv {
  shared ??= celEnv({
    registry: opaqueRegistry,
    funcs: [...strings, ...listFunctions, ...regexFunctions, ...quantityFunctions, ...ipFunctions, ...optionalFunctions, ...urlFunctions, ...formatFunctions, ...semverFunctions],
  });
  return shared;
}
