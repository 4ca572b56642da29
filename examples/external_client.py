#!/usr/bin/env python3
"""An external simulator talking to DAgger Studio over HTTP, in Python 3.9+ with the standard library only.

The protocol (also at /api/openapi.json); every request sends `Authorization: Bearer <project API token>`:
  1. GET  /api/v1/projects/{id}/policy    → the deployed policy as ONNX bytes; ETag: "<SHA-256 of the file>",
     X-Policy-Version: <n>. Send If-None-Match: <ETag> and the answer is 304 (no body) while it is unchanged.
  2. Run the policy in your simulator. Here: a pure-Python CartPole-v1 (Gymnasium's dynamics, and the same
     mulberry32 start states as DAgger Studio's envs/cartpole.ts) and a small evaluator of the ONNX operators
     that exported policies use, so neither numpy nor onnxruntime is needed.
  3. POST /api/v1/projects/{id}/rollouts  {"observations": T or T+1 rows, "actions": T, "rewards": T,
     "terminated", "truncated", "seed", "policyVersion"} → 201 {"rolloutId", "round", "queries"}: the states
     picked from it wait for labels in the open DAgger round. Errors: 4xx/5xx with {"error": "..."}.

  python3 examples/external_client.py --url http://127.0.0.1:3000 --project 3 --token dst_... --episodes 2 \\
      [--seed 0] [--max-steps 500] [--cache DIR]       (--cache keeps the policy and its ETag between runs)
  python3 examples/external_client.py --eval-onnx policy.onnx --obs '[[0.01, 0, 0.02, 0]]'   (outputs as JSON)
"""
import argparse, hashlib, json, math, operator, os, struct, sys, urllib.error, urllib.request
from collections import namedtuple
from itertools import product

class OnnxError(Exception): """A policy file this client cannot read or run."""

class ApiError(Exception): """An HTTP error, with the server's message."""

# ---------------------------------------------------------------- protobuf wire format → ONNX messages
def varint(buf, i):
    """A base-128 varint at buf[i] → (value, index after it)."""
    result, shift = 0, 0
    while i < len(buf):
        result, shift, i = result | (buf[i] & 0x7F) << shift, shift + 7, i + 1
        if buf[i - 1] < 0x80:
            return result, i
    raise OnnxError("not an ONNX model: truncated protobuf")

def fields(buf):
    """One protobuf message → {field number: [values]}: varints as int, everything else as bytes."""
    out, i = {}, 0
    while i < len(buf):
        key, i = varint(buf, i)
        wire = key & 7
        if wire == 0:
            val, i = varint(buf, i)
        elif wire in (1, 2, 5):  # fixed 64 bits; length-delimited (strings, sub-messages, packed numbers); fixed 32 bits
            n, i = varint(buf, i) if wire == 2 else ({1: 8, 5: 4}[wire], i)
            if i + n > len(buf):
                raise OnnxError("not an ONNX model: truncated protobuf")
            val, i = buf[i:i + n], i + n
        else:
            raise OnnxError(f"not an ONNX model: protobuf wire type {wire}")
        out.setdefault(key >> 3, []).append(val)
    return out

def int64s(vals):  # repeated int64, packed or not; negative numbers are 64-bit two's complement
    out = []
    for v in vals:
        if isinstance(v, int):
            out.append(v)
            continue
        j = 0
        while j < len(v):
            x, j = varint(v, j)
            out.append(x)
    return [x - (1 << 64) if x >= 1 << 63 else x for x in out]

def floats(vals):  # repeated float, packed or not
    return [x for v in vals for x in struct.unpack(f"<{len(v) // 4}f", v)]

def text(f, num):
    return f[num][0].decode() if num in f else ""

T = namedtuple("T", "shape data")  # a tensor: shape (list) and row-major data (flat list of floats or ints)

STRUCT = {1: "f", 2: "B", 3: "b", 6: "i", 7: "q", 9: "?", 11: "d"}  # TensorProto.DataType → struct code

def tensor(buf):
    """TensorProto → (name, T); data from raw_data (little-endian) or the typed *_data fields."""
    f = fields(buf)
    dims, dtype, name = int64s(f.get(1, [])), f.get(2, [1])[0], text(f, 8)
    if f.get(14, [0])[0] == 1 or dtype not in STRUCT:
        raise OnnxError(f"tensor {name}: external data or data type {dtype} is not supported")
    if f.get(9, [b""])[0]:
        data = struct.unpack(f"<{len(f[9][0]) // struct.calcsize(STRUCT[dtype])}{STRUCT[dtype]}", f[9][0])
    elif 4 in f:
        data = floats(f[4])
    elif 10 in f:
        data = [x for v in f[10] for x in struct.unpack(f"<{len(v) // 8}d", v)]
    else:
        data = int64s(f.get(5, []) + f.get(7, []))  # int32_data (also bool / int8 / uint8) or int64_data
    if len(data) != math.prod(dims):
        raise OnnxError(f"tensor {name}: {len(data)} values for dims {dims}")
    return name, T(dims, [float(x) for x in data] if dtype in (1, 11) else [int(x) for x in data])

def attribute(buf):
    f = fields(buf)
    name, kind = text(f, 1), f.get(20, [0])[0]  # AttributeProto.type says which field holds the value
    if kind == 1: return name, struct.unpack("<f", f[2][0])[0] if 2 in f else 0.0
    if kind == 2: return name, int64s(f.get(3, [0]))[0]
    if kind == 3: return name, f.get(4, [b""])[0].decode()
    if kind == 4: return name, tensor(f[5][0])[1]
    if kind == 6: return name, floats(f.get(7, []))
    if kind == 7: return name, int64s(f.get(8, []))
    return name, None  # graphs, string lists...: no operator below reads them

def load_model(data):
    """ModelProto → {nodes, inits, inputs: [(name, dims)], outputs: [name], meta: metadata_props}."""
    model = fields(data)
    if 7 not in model:
        raise OnnxError("not an ONNX model: no graph in the file")
    g = fields(model[7][0])
    inits = dict(tensor(b) for b in g.get(5, []))
    nodes = [{"op": text(n, 4), "domain": text(n, 7), "name": text(n, 3), "attrs": dict(attribute(a) for a in n.get(5, [])),
              "inputs": [x.decode() for x in n.get(1, [])], "outputs": [x.decode() for x in n.get(2, [])]}
             for n in map(fields, g.get(1, []))]
    def dims(info):  # ValueInfoProto.type.tensor_type.shape.dim[].dim_value (None when symbolic)
        tt = fields(fields(info).get(2, [b""])[0]).get(1, [b""])[0]
        return [fields(d).get(1, [None])[0] for d in fields(fields(tt).get(2, [b""])[0]).get(1, [])]
    return {"nodes": nodes, "inits": inits, "outputs": [text(fields(b), 1) for b in g.get(12, [])],
            "inputs": [(text(fields(b), 1), dims(b)) for b in g.get(11, []) if text(fields(b), 1) not in inits],
            "meta": {text(e, 1): text(e, 2) for e in map(fields, model.get(14, []))}}

# ---------------------------------------------------------------- the operators of exported policies
# Python floats are float64: outputs differ from onnxruntime's float32 kernels by ~1e-7 (relative), not more.
def broadcast(fn, *ts):
    """Element-wise fn over tensors, with numpy broadcasting."""
    rank = max(len(t.shape) for t in ts)
    shapes = [[1] * (rank - len(t.shape)) + t.shape for t in ts]
    out = []
    for d in zip(*shapes):
        if len(set(d) - {1}) > 1:
            raise OnnxError(f"cannot broadcast shapes {[t.shape for t in ts]}")
        out.append(max(d))
    steps = [[0 if n == 1 else math.prod(sh[k + 1:]) for k, n in enumerate(sh)] for sh in shapes]
    return T(out, [fn(*(t.data[sum(i * s for i, s in zip(idx, st))] for t, st in zip(ts, steps))) for idx in product(*map(range, out))])

def lanes(shape, axis):
    """Flat indices of every 1-D lane along `axis`, in row-major order of the other dims."""
    d, inner = shape[axis], math.prod(shape[axis + 1:])
    return [[o * d * inner + k * inner + i for k in range(d)] for o in range(math.prod(shape[:axis])) for i in range(inner)]

def reduce(x, axes, keepdims, fn):
    axes = sorted(a % len(x.shape) for a in (range(len(x.shape)) if axes is None else axes))
    for a in axes:  # one axis at a time, kept as size 1 (a mean of equal-sized means is the mean)
        x = T(x.shape[:a] + [1] + x.shape[a + 1:], [fn([x.data[j] for j in lane]) for lane in lanes(x.shape, a)])
    return x if keepdims else T([d for i, d in enumerate(x.shape) if i not in axes], x.data)

def softmax(x, axis):
    out = list(x.data)
    for lane in lanes(x.shape, axis % len(x.shape)):
        m = max(x.data[j] for j in lane)
        e = [math.exp(x.data[j] - m) for j in lane]
        for j, v in zip(lane, e):
            out[j] = v / sum(e)
    return T(x.shape, out)

def argmax(x, axis, keepdims):
    axis %= len(x.shape)
    idx = [max(range(len(lane)), key=lambda k: (x.data[lane[k]], -k)) for lane in lanes(x.shape, axis)]  # first max
    return T(x.shape[:axis] + [1] * keepdims + x.shape[axis + 1:], idx)

def gemm(a, b, c=None, alpha=1.0, beta=1.0, trans_a=0, trans_b=0):
    """Y = alpha·A'·B' + beta·C with A' = Aᵀ when trans_a (B' likewise), C broadcast to [M, N]."""
    rows = lambda t: [t.data[i * t.shape[1]:(i + 1) * t.shape[1]] for i in range(t.shape[0])]
    cols = lambda t: [t.data[j::t.shape[1]] for j in range(t.shape[1])]
    A, B = (cols(a) if trans_a else rows(a)), (rows(b) if trans_b else cols(b))  # A' by rows, B' by columns
    if len(A[0]) != len(B[0]):
        raise OnnxError(f"Gemm/MatMul: inner sizes differ: {a.shape} (transA={trans_a}) and {b.shape} (transB={trans_b})")
    y = T([len(A), len(B)], [alpha * sum(map(operator.mul, r, col)) for r in A for col in B])
    return y if c is None else broadcast(lambda u, v: u + beta * v, y, c)

def matmul(a, b):
    if len(b.shape) != 2:
        raise OnnxError(f"MatMul: only a 2-D right-hand side is supported, got shape {b.shape}")
    return reshape(gemm(reshape(a, [-1, a.shape[-1]]), b), a.shape[:-1] + b.shape[1:])

def reshape(x, target):
    shape = [x.shape[i] if d == 0 else d for i, d in enumerate(target)]  # 0 copies the input's dim
    if -1 in shape:
        shape[shape.index(-1)] = len(x.data) // -math.prod(shape)
    if math.prod(shape) != len(x.data):
        raise OnnxError(f"Reshape: cannot reshape {x.shape} to {target}")
    return T(shape, x.data)

def unsqueeze(x, axes):
    shape = list(x.shape)
    for a in sorted(a % (len(x.shape) + len(axes)) for a in axes):
        shape.insert(a, 1)
    return T(shape, x.data)

def concat(xs, axis):
    axis %= len(xs[0].shape)
    size = [math.prod(x.shape[axis:]) for x in xs]
    data = [v for o in range(math.prod(xs[0].shape[:axis])) for x, n in zip(xs, size) for v in x.data[o * n:(o + 1) * n]]
    return T(xs[0].shape[:axis] + [sum(x.shape[axis] for x in xs)] + xs[0].shape[axis + 1:], data)

def one_hot(indices, depth, values, axis):
    if axis not in (-1, len(indices.shape)):
        raise OnnxError(f"OneHot: only the last axis is supported, got axis={axis}")
    d, (off, on) = int(depth.data[0]), values.data
    return T(indices.shape + [d], [on if int(i) % d == k else off for i in indices.data for k in range(d)])

def elementwise(fn):
    return lambda n, x: T(x.shape, [fn(v) for v in x.data])

def axes(n, xs):  # opset 13+ passes axes as the second input, older opsets as an attribute
    return xs[1].data if len(xs) > 1 and xs[1] is not None else n["attrs"].get("axes")

OPS = {  # op_type → f(node, *inputs): what models/export.ts emits, plus MatMul and Constant (common in torch exports)
    "Identity": lambda n, x: x,
    "Relu": elementwise(lambda v: v if v > 0 else 0.0),
    "Tanh": elementwise(math.tanh),
    "Add": lambda n, a, b: broadcast(operator.add, a, b),
    "Sub": lambda n, a, b: broadcast(operator.sub, a, b),
    "Mul": lambda n, a, b: broadcast(operator.mul, a, b),
    "Max": lambda n, *xs: broadcast(lambda *v: max(v), *xs),
    "Min": lambda n, *xs: broadcast(lambda *v: min(v), *xs),
    "Gemm": lambda n, a, b, c=None: gemm(a, b, c, *(n["attrs"].get(k, d) for k, d in (("alpha", 1.0), ("beta", 1.0), ("transA", 0), ("transB", 0)))),
    "MatMul": lambda n, a, b: matmul(a, b),
    "Softmax": lambda n, x: softmax(x, n["attrs"].get("axis", -1)),
    "ArgMax": lambda n, x: argmax(x, n["attrs"].get("axis", 0), n["attrs"].get("keepdims", 1)),
    "ReduceMean": lambda n, *xs: reduce(xs[0], axes(n, xs), n["attrs"].get("keepdims", 1), lambda v: sum(v) / len(v)),
    "ReduceSum": lambda n, *xs: reduce(xs[0], axes(n, xs), n["attrs"].get("keepdims", 1), sum),
    "Shape": lambda n, x: T([len(x.shape)], x.shape),
    "Reshape": lambda n, x, s: reshape(x, s.data),
    "Unsqueeze": lambda n, *xs: unsqueeze(xs[0], axes(n, xs)),
    "Concat": lambda n, *xs: concat(xs, n["attrs"]["axis"]),
    "Expand": lambda n, x, s: broadcast(lambda u, _: u, x, T(s.data, [0] * math.prod(s.data))),
    "OneHot": lambda n, i, d, v: one_hot(i, d, v, n["attrs"].get("axis", -1)),
    "Constant": lambda n: n["attrs"]["value"],
}

def run_model(model, feeds):
    """Evaluates the graph on feeds ({input name: T}) → {output name: T}. Nodes are stored in topological order."""
    for name, dims in model["inputs"]:
        got = feeds[name].shape if name in feeds else None
        if got is None or dims and (len(dims) != len(got) or any(d not in (None, g) for d, g in zip(dims, got))):
            raise OnnxError(f"input {name}: the model declares shape {dims} (None: any size), got {got}")
    env = dict(model["inits"], **feeds)
    for n in model["nodes"]:
        if n["domain"] not in ("", "ai.onnx") or n["op"] not in OPS:
            raise OnnxError(f"unsupported ONNX operator {n['domain'] + '::' if n['domain'] else ''}{n['op']} (node '{n['name']}'); "
                            f"this client implements {', '.join(sorted(OPS))}")
        if any(i and i not in env for i in n["inputs"]):
            raise OnnxError(f"node '{n['name']}' reads a value no earlier node, input or initializer defines: {n['inputs']}")
        try:
            env[n["outputs"][0]] = OPS[n["op"]](n, *(env[i] if i else None for i in n["inputs"]))
        except (TypeError, IndexError, KeyError, ZeroDivisionError) as e:  # wrong input count, attribute, shape…
            raise OnnxError(f"{n['op']} (node '{n['name']}') cannot run on this graph: {e!r}") from None
    return {name: env[name] for name in model["outputs"]}

def f32(v):  # round to float32, as the float32 tensors of the policy's input would
    return struct.unpack("<f", struct.pack("<f", v))[0]

class Policy:
    """A deployed policy: this project's export (an `action` output) or an imported model (`io` metadata)."""
    def __init__(self, data):
        self.model = load_model(data)
        meta = self.model["meta"]
        if meta.get("format") not in ("dagger-studio-policy/1", "dagger-studio-external/1"):
            raise OnnxError(f"not a DAgger Studio policy file (metadata format {meta.get('format')!r})")
        self.action_space = json.loads(meta["action_space"])
        io = json.loads(meta.get("io") or "{}")
        (self.input, dims), = [i for i in self.model["inputs"] if i[0] == io.get("input", i[0])]
        self.obs_size, self.output = dims[-1] if dims else None, io.get("output", "action")

    def act(self, obs):
        """The greedy action: argmax of the logits, or the mean clipped to the box (exports do this in-graph)."""
        y = run_model(self.model, {self.input: T([1, len(obs)], [f32(v) for v in obs])})[self.output]
        sp = self.action_space
        if sp["kind"] == "discrete":
            return y.data[0] if self.output == "action" else argmax(y, 1, 0).data[0]
        return [min(max(v, -math.inf if lo is None else lo), math.inf if hi is None else hi) for v, lo, hi in zip(y.data, sp["low"], sp["high"])]

# ---------------------------------------------------------------- CartPole-v1 (Gymnasium's explicit Euler step)
def mulberry32(seed):
    a, imul = seed & 0xFFFFFFFF, lambda x, y: (x * y) & 0xFFFFFFFF
    def draw():
        nonlocal a
        a = (a + 0x6D2B79F5) & 0xFFFFFFFF
        t = imul(a ^ (a >> 15), a | 1)
        t ^= (t + imul(t ^ (t >> 7), t | 61)) & 0xFFFFFFFF
        return (t ^ (t >> 14)) / 2 ** 32
    return draw

def cartpole_step(s, action):
    """State [x, ẋ, θ, θ̇] (float64), action 0 (push left) / 1 (push right) → (next state, terminated)."""
    x, x_dot, th, th_dot = s
    g, m_cart, m_pole, half_len, tau = 9.8, 1.0, 0.1, 0.5, 0.02
    total, pole_ml = m_pole + m_cart, m_pole * half_len
    temp = ((10.0 if action == 1 else -10.0) + pole_ml * th_dot ** 2 * math.sin(th)) / total
    th_acc = (g * math.sin(th) - math.cos(th) * temp) / (half_len * (4.0 / 3.0 - m_pole * math.cos(th) ** 2 / total))
    x_acc = temp - pole_ml * th_acc * math.cos(th) / total
    s = [x + tau * x_dot, x_dot + tau * x_acc, th + tau * th_dot, th_dot + tau * th_acc]
    return s, not (-2.4 <= s[0] <= 2.4 and -12 * 2 * math.pi / 360 <= s[2] <= 12 * 2 * math.pi / 360)

def rollout(policy, seed, max_steps):
    draw = mulberry32(seed)
    s, observations, actions, terminated = [-0.05 + 0.1 * draw() for _ in range(4)], [], [], False
    while len(actions) < max_steps and not terminated:
        observations.append([f32(v) for v in s])  # the observation is the state's float32 copy
        actions.append(policy.act(observations[-1]))
        s, terminated = cartpole_step(s, actions[-1])
    observations.append([f32(v) for v in s])
    return {"observations": observations, "actions": actions, "rewards": [1.0] * len(actions),
            "terminated": terminated, "truncated": not terminated, "seed": seed}

# ---------------------------------------------------------------- the HTTP API
class StudioClient:
    def __init__(self, url, project, token, cache=None):
        self.base, self.token, self.cache = f"{url.rstrip('/')}/api/v1/projects/{project}", token, cache
        self.etag = self.version = self.policy = None
        if cache and os.path.exists(os.path.join(cache, "policy.json")):  # a previous run's policy and ETag
            with open(os.path.join(cache, "policy.json")) as f, open(os.path.join(cache, "policy.onnx"), "rb") as g:
                saved, data = json.load(f), g.read()
            self.load(data, saved["etag"], saved["version"])

    def load(self, data, etag, version):
        if hashlib.sha256(data).hexdigest() != etag.strip('"'):  # the ETag is the file's SHA-256
            raise ApiError(f"the policy file's SHA-256 does not match its ETag {etag}")
        self.policy, self.etag, self.version = Policy(data), etag, version

    def request(self, method, path, body=None, headers=None):
        req = urllib.request.Request(f"{self.base}/{path}", method=method, data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json", **(headers or {})})
        try:
            with urllib.request.urlopen(req, timeout=60) as res:
                return res.status, res.headers, res.read()
        except urllib.error.HTTPError as e:  # urllib raises on every status ≥ 300, 304 included
            if e.code == 304:
                return 304, e.headers, b""
            raw = e.read()
            try:
                msg = json.loads(raw)["error"]
            except (ValueError, KeyError, TypeError):
                msg = raw.decode(errors="replace")
            raise ApiError(f"{method} {path}: {e.code} {msg}") from None
        except urllib.error.URLError as e:
            raise ApiError(f"{method} {path}: cannot reach {self.base} ({e.reason})") from None

    def refresh_policy(self):
        """GET policy with If-None-Match: True when a new file was loaded, False on 304 (unchanged)."""
        status, headers, data = self.request("GET", "policy", headers={"If-None-Match": self.etag} if self.etag else None)
        if status == 304:
            return False
        self.load(data, headers["ETag"], int(headers["X-Policy-Version"]))
        if self.cache:
            os.makedirs(self.cache, exist_ok=True)
            with open(os.path.join(self.cache, "policy.onnx"), "wb") as f, open(os.path.join(self.cache, "policy.json"), "w") as g:
                f.write(data)
                json.dump({"etag": self.etag, "version": self.version}, g)
        return True

    def post(self, kind, body):  # kind: "rollouts" or "demonstrations"
        return json.loads(self.request("POST", kind, body)[2])

def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--url", default="http://127.0.0.1:3000")
    p.add_argument("--project", type=int)
    p.add_argument("--token")
    p.add_argument("--episodes", type=int, default=2)
    p.add_argument("--seed", type=int, default=0, help="episode e starts from CartPole's start state for seed + e")
    p.add_argument("--max-steps", type=int, default=500)
    p.add_argument("--cache", metavar="DIR", help="keep the policy and its ETag here; the next run sends If-None-Match")
    p.add_argument("--eval-onnx", metavar="FILE", help="only evaluate the ONNX file on --obs and print its outputs as JSON")
    p.add_argument("--obs", help="with --eval-onnx: a JSON list of observation rows")
    args = p.parse_args()
    if not args.eval_onnx and (args.project is None or not args.token):
        p.error("--project and --token are required")
    if args.episodes < 0 or not 1 <= args.max_steps <= 10000:
        p.error("--episodes must be ≥ 0 and --max-steps in 1..10000")
    try:
        if args.eval_onnx:
            rows = json.loads(args.obs or "null")
            if not (isinstance(rows, list) and rows and all(isinstance(r, list) and len(r) == len(rows[0]) for r in rows)):
                raise ValueError("--obs must be a JSON list of equally long observation rows, e.g. '[[0, 0, 0, 0]]'")
            with open(args.eval_onnx, "rb") as f:
                model = load_model(f.read())
            out = run_model(model, {model["inputs"][0][0]: T([len(rows), len(rows[0])], [f32(v) for r in rows for v in r])})
            print(json.dumps({k: {"shape": v.shape, "data": v.data} for k, v in out.items()}))
            return 0
        client = StudioClient(args.url, args.project, args.token, args.cache)
        for e in range(args.episodes):
            if client.refresh_policy():  # a long-running simulator checks for a new policy between episodes
                print(f"policy v{client.version} downloaded (ETag {client.etag})")
            else:
                print(f"policy unchanged (304): still v{client.version} (ETag {client.etag})")
            sp = client.policy.action_space
            if client.policy.obs_size != 4 or sp.get("kind") != "discrete" or sp.get("n") != 2:
                raise ValueError(f"this example simulates CartPole-v1 (4 observations, 2 actions); the policy takes "
                                 f"{client.policy.obs_size} observations and acts in {json.dumps(sp)}")
            r = dict(rollout(client.policy, args.seed + e, args.max_steps), policyVersion=client.version)
            res = client.post("rollouts", r)
            print(f"episode {e}: seed {r['seed']}, {len(r['actions'])} steps, return {sum(r['rewards']):.0f}, "
                  f"{'terminated' if r['terminated'] else 'truncated'} -> rollout {res['rolloutId']} "
                  f"(round {res['round']}, {res['queries']} states queued)")
        return 0
    except (ApiError, OnnxError, OSError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1

if __name__ == "__main__":
    sys.exit(main())
