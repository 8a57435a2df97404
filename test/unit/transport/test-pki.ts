import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { makeTempDir } from "../../support/tmp.js";

const run = promisify(execFile);

export interface TestPki {
  dir: string;
  ca: Buffer;
  serverCert: Buffer;
  serverKey: Buffer;
  clientCert: Buffer;
  clientKey: Buffer;
  /** A second CA that signed nothing we use: "wrong CA". */
  otherCa: Buffer;
}

/** A throwaway CA with a server cert (SANs IP:127.0.0.1, DNS:localhost) and a client cert (CN=tester), made by openssl. */
export async function createTestPki(): Promise<TestPki> {
  const dir = await makeTempDir("pki-");
  const openssl = (...args: string[]) => run("openssl", args, { cwd: dir });
  const newCa = async (name: string) => {
    await openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.crt`, "-days", "2", "-subj", `/CN=${name}`);
  };
  const issue = async (name: string, subject: string, extensions: string) => {
    await writeFile(path.join(dir, `${name}.ext`), extensions);
    await openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", subject);
    await openssl("x509", "-req", "-in", `${name}.csr`, "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", `${name}.crt`, "-days", "2", "-extfile", `${name}.ext`);
  };
  await newCa("ca");
  await newCa("other-ca");
  await issue("server", "/CN=test-server", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
  await issue("client", "/CN=tester/O=testers", "extendedKeyUsage=clientAuth\n");
  const read = (name: string) => readFile(path.join(dir, name));
  return {
    dir,
    ca: await read("ca.crt"),
    serverCert: await read("server.crt"),
    serverKey: await read("server.key"),
    clientCert: await read("client.crt"),
    clientKey: await read("client.key"),
    otherCa: await read("other-ca.crt"),
  };
}
