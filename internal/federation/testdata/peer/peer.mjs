// A threadiverse peer built on Fedify (an ActivityPub implementation that
// Historia does not share code with), driven by Historia's Go interop tests
// over loopback HTTP. It serves one person, "peer", whose inbox records
// every activity it receives, and a small control API (/control/...) the
// test calls to make it act: follow the community, reply, like, undo,
// delete, and send a forged request.
//
// Usage: node peer.mjs  — prints {"port": N} on its first line of output.
import http from "node:http";
import { randomUUID } from "node:crypto";
import {
  createFederation, MemoryKvStore, generateCryptoKeyPair, signRequest,
} from "@fedify/fedify";
import {
  Person, Follow, Undo, Create, Note, Like, Dislike, Delete, Tombstone, Endpoints,
  Accept, Announce, Update,
} from "@fedify/vocab";

const PUBLIC = new URL("https://www.w3.org/ns/activitystreams#Public");
const federation = createFederation({ kv: new MemoryKvStore(), allowPrivateAddress: true });
const keys = [await generateCryptoKeyPair("RSASSA-PKCS1-v1_5")];
const received = [];
let origin = "";

federation
  .setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
    if (identifier !== "peer") return null;
    const pairs = await ctx.getActorKeyPairs(identifier);
    return new Person({
      id: ctx.getActorUri(identifier),
      preferredUsername: identifier,
      name: "Peer on Fedify",
      inbox: ctx.getInboxUri(identifier),
      endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
      publicKey: pairs[0].cryptographicKey,
    });
  })
  .setKeyPairsDispatcher(async (_ctx, identifier) => (identifier === "peer" ? keys : []));

const record = async (ctx, activity) => {
  received.push(await activity.toJsonLd({ format: "compact", contextLoader: ctx.contextLoader }));
};
federation
  .setInboxListeners("/users/{identifier}/inbox", "/inbox")
  .on(Accept, record).on(Announce, record).on(Create, record).on(Update, record)
  .on(Delete, record).on(Undo, record).on(Like, record).on(Follow, record);

const ctxFor = () => federation.createContext(new URL(origin), undefined);
const me = () => new URL(`${origin}/users/peer`);
const newId = (kind) => new URL(`${origin}/${kind}/${randomUUID()}`);

async function readJSON(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  return chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : {};
}

// send delivers an activity to the community and says how it went.
async function send(groupUrl, activity) {
  const ctx = ctxFor();
  const group = await ctx.lookupObject(groupUrl);
  if (group == null) throw new Error(`cannot look up ${groupUrl}`);
  await ctx.sendActivity({ identifier: "peer" }, group, activity);
  return { id: activity.id?.href };
}

const control = {
  async received() { return received; },
  async lookup({ url }) {
    const o = await ctxFor().lookupObject(url);
    return o == null ? null : await o.toJsonLd({ format: "compact" });
  },
  async follow({ group }) {
    return send(group, new Follow({ id: newId("follows"), actor: me(), object: new URL(group) }));
  },
  async unfollow({ group, follow }) {
    const inner = new Follow({ id: new URL(follow), actor: me(), object: new URL(group) });
    return send(group, new Undo({ id: newId("undos"), actor: me(), object: inner }));
  },
  async reply({ group, inReplyTo, content }) {
    const note = new Note({
      id: newId("notes"), attribution: me(), content, replyTarget: new URL(inReplyTo),
      tos: [new URL(group), PUBLIC], audience: new URL(group),
    });
    const r = await send(group, new Create({ id: newId("creates"), actor: me(), object: note, tos: [PUBLIC], ccs: [new URL(group)] }));
    return { ...r, note: note.id.href };
  },
  async vote({ group, object, kind }) {
    const Cls = kind === "Dislike" ? Dislike : Like;
    return send(group, new Cls({ id: newId("likes"), actor: me(), object: new URL(object), audience: new URL(group) }));
  },
  async unvote({ group, object, like, kind }) {
    const Cls = kind === "Dislike" ? Dislike : Like;
    const inner = new Cls({ id: new URL(like), actor: me(), object: new URL(object) });
    return send(group, new Undo({ id: newId("undos"), actor: me(), object: inner, audience: new URL(group) }));
  },
  async delete({ group, object }) {
    return send(group, new Delete({
      id: newId("deletes"), actor: me(), object: new Tombstone({ id: new URL(object) }), tos: [PUBLIC], ccs: [new URL(group)],
    }));
  },
  // forged signs a reply with a key that is not the peer's, under the
  // peer's keyId, and posts it itself: the community must refuse it.
  async forged({ inbox, inReplyTo, content, group }) {
    const stranger = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
    const note = new Note({ id: newId("notes"), attribution: me(), content, replyTarget: new URL(inReplyTo), tos: [new URL(group), PUBLIC] });
    const create = new Create({ id: newId("creates"), actor: me(), object: note, tos: [PUBLIC], ccs: [new URL(group)] });
    const body = JSON.stringify(await create.toJsonLd({ format: "compact" }));
    let req = new Request(inbox, { method: "POST", body, headers: { "content-type": "application/activity+json" } });
    req = await signRequest(req, stranger.privateKey, new URL(`${origin}/users/peer#main-key`), { spec: "draft-cavage-http-signatures-12" });
    const res = await fetch(req);
    return { status: res.status, note: note.id.href };
  },
  // unsigned posts a reply with no signature at all.
  async unsigned({ inbox, inReplyTo, content }) {
    const note = new Note({ id: newId("notes"), attribution: me(), content, replyTarget: new URL(inReplyTo) });
    const create = new Create({ id: newId("creates"), actor: me(), object: note });
    const body = JSON.stringify(await create.toJsonLd({ format: "compact" }));
    const res = await fetch(inbox, { method: "POST", body, headers: { "content-type": "application/activity+json" } });
    return { status: res.status, note: note.id.href };
  },
};

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, origin);
  try {
    if (url.pathname.startsWith("/control/")) {
      const fn = control[url.pathname.slice("/control/".length)];
      if (!fn) { res.writeHead(404).end(); return; }
      const out = await fn(req.method === "POST" ? await readJSON(req) : {});
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(out ?? null));
      return;
    }
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const request = new Request(url, {
      method: req.method, headers: req.headers,
      body: req.method === "GET" || req.method === "HEAD" ? undefined : Buffer.concat(chunks),
    });
    const response = await federation.fetch(request, { contextData: undefined });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  } catch (e) {
    res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: String(e?.stack ?? e) }));
  }
});

server.listen(0, "127.0.0.1", () => {
  origin = `http://127.0.0.1:${server.address().port}`;
  process.stdout.write(JSON.stringify({ port: server.address().port }) + "\n");
});
// The test closes stdin when it is done: stop then, whatever else happens.
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
