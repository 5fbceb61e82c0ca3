// The offline page: a photo in, the model's top classes out, with nothing but the files beside this one.
// model-info.js (window.OFFLINE_MODEL: name, labels, preprocessing, score), model.js (the graph, base64),
// ort.wasm.min.js + ort-glue.js + ort-wasm.js (ONNX Runtime Web, its glue module's source and its gzipped
// wasm, base64): classic scripts, because a page opened from file:// may not fetch() or import files.
"use strict";

(function () {
  const INFO = window.OFFLINE_MODEL;
  const TOP_K = 3;
  const MAX_PIXELS = 50e6;  // a decoded photo's RGBA copy: 200 MB at this size
  const TEXT = {
    es: {
      title: "Clasificador sin conexión", pick: "Hacer una foto o elegir una imagen",
      loading: "Cargando el modelo…", ready: "Listo: funciona sin red.", working: "Clasificando…",
      score: "Exactitud en validación: {accuracy} % ({count} ejemplos).", noscore: "Sin puntuación guardada.",
      answer: "Respuesta", failed: "No se pudo leer esa imagen: {error}", big: "La imagen es demasiado grande ({size}).",
      time: "{ms} ms en este dispositivo.", caveat: "Un modelo se equivoca a veces: confirma con un experto.",
    },
    en: {
      title: "Offline classifier", pick: "Take a photo or pick an image",
      loading: "Loading the model…", ready: "Ready: works with no network.", working: "Classifying…",
      score: "Validation accuracy: {accuracy} % ({count} examples).", noscore: "No recorded score.",
      answer: "Answer", failed: "Could not read that image: {error}", big: "The image is too large ({size}).",
      time: "{ms} ms on this device.", caveat: "A model is sometimes wrong: check with an expert.",
    },
  };
  const lang = (navigator.language || "es").toLowerCase().startsWith("es") ? "es" : "en";
  const t = (key, fields) => TEXT[lang][key].replace(/\{(\w+)\}/g, (_, name) => String(fields[name]));
  const $ = (id) => document.getElementById(id);

  function bytes(base64) {
    const text = atob(base64);
    const out = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
    return out;
  }

  async function gunzip(data) {
    const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }

  async function openSession() {
    ort.env.wasm.numThreads = 1;  // no SharedArrayBuffer on file:// or a plain static host
    ort.env.wasm.proxy = false;
    ort.env.wasm.wasmBinary = await gunzip(bytes(window.ORT_WASM_GZIP_BASE64));
    const glue = new Blob([window.ORT_GLUE_SOURCE], { type: "text/javascript" });
    ort.env.wasm.wasmPaths = { mjs: URL.createObjectURL(glue) };
    return ort.InferenceSession.create(bytes(window.OFFLINE_MODEL_BASE64), { executionProviders: ["wasm"] });
  }

  async function decode(file) {
    const head = new Uint8Array(await file.slice(0, 3).arrayBuffer());
    const isJpeg = head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff;
    const bitmap = await createImageBitmap(file, { imageOrientation: "from-image", colorSpaceConversion: "none", premultiplyAlpha: "none" });
    if (bitmap.width * bitmap.height > MAX_PIXELS) throw new RangeError(t("big", { size: bitmap.width + "×" + bitmap.height }));
    const canvas = document.createElement("canvas");
    canvas.width = bitmap.width;
    canvas.height = bitmap.height;
    const context = canvas.getContext("2d", { willReadFrequently: true });
    context.fillStyle = "#fff";  // transparency on white, as contract/images.py to_rgb
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(bitmap, 0, 0);
    const rgba = context.getImageData(0, 0, canvas.width, canvas.height).data;
    return { picture: Resample.fromRGBA(rgba, canvas.width, canvas.height), isJpeg };
  }

  function probabilities(logits) {
    if (INFO.scores === "sigmoid") return logits.map((x) => 1 / (1 + Math.exp(-x)));
    const top = Math.max(...logits);
    const e = logits.map((x) => Math.exp(x - top));
    const total = e.reduce((a, b) => a + b, 0);
    return e.map((x) => x / total);
  }

  // What studio/beans/predict.py predict_leaf answers: the picture and its test-time views, probabilities averaged.
  async function classify(session, file) {
    const steps = INFO.preprocessing;
    const { picture, isJpeg } = await decode(file);
    const shrunk = Resample.shrink(picture, steps.min_side, isJpeg);
    const views = [shrunk, ...steps.views.map((name) => Resample.view(shrunk, name))];
    const inputs = views.map((view) => Resample.pixelValues(view, steps));
    const rows = [];
    for (const shape of new Set(inputs.map((input) => input.width + "x" + input.height))) {  // one pass per shape
      const same = inputs.filter((input) => input.width + "x" + input.height === shape);
      const batch = new Float32Array(same.length * same[0].tensor.length);
      same.forEach((input, i) => batch.set(input.tensor, i * input.tensor.length));
      const tensor = new ort.Tensor("float32", batch, [same.length, 3, same[0].height, same[0].width]);
      const logits = (await session.run({ [INFO.input]: tensor }))[session.outputNames[0]].data;
      const classes = logits.length / same.length;
      for (let i = 0; i < same.length; i++) rows.push(probabilities(Array.from(logits.slice(i * classes, (i + 1) * classes))));
    }
    return rows[0].map((_, i) => rows.reduce((sum, row) => sum + row[i], 0) / rows.length);
  }

  function show(probs, ms) {
    const ranked = probs.map((p, i) => [p, i]).sort((a, b) => b[0] - a[0]).slice(0, TOP_K);
    const list = $("answer");
    list.replaceChildren(...ranked.map(([p, i]) => {
      const item = document.createElement("li");
      const label = INFO.labels_shown[lang][i];
      item.innerHTML = "<span></span><meter min='0' max='1'></meter><b></b>";
      item.children[0].textContent = label;
      item.children[1].value = p;
      item.children[2].textContent = (100 * p).toFixed(1) + " %";
      return item;
    }));
    list.dataset.probabilities = JSON.stringify(probs);
    $("status").textContent = t("time", { ms: Math.round(ms) });
    $("result").hidden = false;
    $("result").scrollIntoView({ block: "nearest" });
  }

  async function start() {
    document.documentElement.lang = lang;
    document.title = INFO.name + " · " + t("title", {});
    $("title").textContent = t("title", {});
    $("model").textContent = INFO.name;
    const score = INFO.score;
    $("score").textContent = score ? t("score", { accuracy: (100 * score.accuracy).toFixed(1), count: score.count }) : t("noscore", {});
    $("pick-label").textContent = t("pick", {});
    $("answer-title").textContent = t("answer", {});
    $("caveat").textContent = t("caveat", {});
    $("status").textContent = t("loading", {});
    const session = await openSession();
    $("status").textContent = t("ready", {});
    document.body.dataset.ready = "true";
    $("pick").disabled = false;
    $("pick").addEventListener("change", async () => {
      const file = $("pick").files[0];
      if (!file) return;
      $("status").textContent = t("working", {});
      $("photo").src = URL.createObjectURL(file);
      const began = performance.now();
      try {
        show(await classify(session, file), performance.now() - began);
      } catch (error) {
        $("status").textContent = error instanceof RangeError ? error.message : t("failed", { error: error.message || error });
        $("answer").dataset.probabilities = "";
      }
    });
    if (location.protocol.startsWith("http") && "serviceWorker" in navigator) navigator.serviceWorker.register("sw.js");
  }

  start().catch((error) => { $("status").textContent = t("failed", { error: error.message || error }); });
})();
