// Served over http(s), the page keeps working offline: every file of the folder is cached at install and
// answered from the cache first (page.js registers this worker; from file:// there is no worker to need).
const CACHE = "offline-page-v1";
const FILES = ["./", "index.html", "manifest.webmanifest", "icon.svg", "model-info.js", "ort.wasm.min.js",
               "ort-glue.js", "ort-wasm.js", "model.js", "resample.js", "page.js"];
self.addEventListener("install", (event) => event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES))));
self.addEventListener("fetch", (event) => {
  event.respondWith(caches.match(event.request).then((hit) => hit || fetch(event.request)));
});
