// The picture steps of contract/preprocessing.py in the browser, ported from Pillow (libImaging/Resample.c,
// Reduce.c) with its 8-bit fixed-point arithmetic, so the page feeds the model what the server does.
// A picture is {width, height, data: Uint8ClampedArray of RGB triples}.
"use strict";

(function (root) {
  const PRECISION_BITS = 32 - 8 - 2;
  const ONE = 1 << PRECISION_BITS;
  const FILTERS = {
    box: { support: 0.5, weight: (x) => (x > -0.5 && x <= 0.5 ? 1.0 : 0.0) },
    bilinear: { support: 1.0, weight: (x) => { x = Math.abs(x); return x < 1.0 ? 1.0 - x : 0.0; } },
    bicubic: {
      support: 2.0,
      weight: (x) => {
        const a = -0.5;
        x = Math.abs(x);
        if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
        return 0.0;
      },
    },
  };

  function fromRGBA(rgba, width, height) {
    const data = new Uint8ClampedArray(width * height * 3);
    for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
      data[j] = rgba[i]; data[j + 1] = rgba[i + 1]; data[j + 2] = rgba[i + 2];
    }
    return { width, height, data };
  }

  // Pillow's precompute_coeffs + normalize_coeffs_8bpc: for each output pixel, its first input pixel,
  // how many it reads, and their weights as fixed-point integers.
  function coefficients(inSize, outSize, filter) {
    const scale = inSize / outSize;
    const filterscale = Math.max(scale, 1.0);
    const support = filter.support * filterscale;
    const ksize = Math.ceil(support) * 2 + 1;
    const bounds = new Int32Array(outSize * 2);
    const weights = new Float64Array(outSize * ksize);
    for (let xx = 0; xx < outSize; xx++) {
      const center = (xx + 0.5) * scale;
      const ss = 1.0 / filterscale;
      const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
      const xmax = Math.min(Math.trunc(center + support + 0.5), inSize) - xmin;
      let total = 0.0;
      for (let x = 0; x < xmax; x++) {
        const w = filter.weight((x + xmin - center + 0.5) * ss);
        weights[xx * ksize + x] = w;
        total += w;
      }
      for (let x = 0; x < xmax; x++) {
        if (total !== 0.0) weights[xx * ksize + x] /= total;
      }
      bounds[xx * 2] = xmin;
      bounds[xx * 2 + 1] = xmax;
    }
    const fixed = new Float64Array(weights.length);
    for (let i = 0; i < weights.length; i++) {
      fixed[i] = weights[i] < 0 ? Math.trunc(-0.5 + weights[i] * ONE) : Math.trunc(0.5 + weights[i] * ONE);
    }
    return { ksize, bounds, weights: fixed };
  }

  const clip8 = (sum) => Math.min(255, Math.max(0, Math.floor(sum / ONE)));

  // One pass along x (horizontal) or y: Pillow resizes horizontally first, rounding to 8 bits in between.
  function pass(picture, outSize, filter, horizontal) {
    const { width, height, data } = picture;
    const c = coefficients(horizontal ? width : height, outSize, filter);
    const outWidth = horizontal ? outSize : width;
    const outHeight = horizontal ? height : outSize;
    const out = new Uint8ClampedArray(outWidth * outHeight * 3);
    for (let y = 0; y < outHeight; y++) {
      for (let x = 0; x < outWidth; x++) {
        const along = horizontal ? x : y;
        const first = c.bounds[along * 2];
        const count = c.bounds[along * 2 + 1];
        let s0 = ONE / 2, s1 = ONE / 2, s2 = ONE / 2;
        for (let k = 0; k < count; k++) {
          const w = c.weights[along * c.ksize + k];
          const at = horizontal ? (y * width + first + k) * 3 : ((first + k) * width + x) * 3;
          s0 += data[at] * w; s1 += data[at + 1] * w; s2 += data[at + 2] * w;
        }
        const to = (y * outWidth + x) * 3;
        out[to] = clip8(s0); out[to + 1] = clip8(s1); out[to + 2] = clip8(s2);
      }
    }
    return { width: outWidth, height: outHeight, data: out };
  }

  // PIL.Image.resize(size, resample) on an RGB picture.
  function resize(picture, width, height, resample) {
    const filter = FILTERS[resample];
    if (!filter) throw new Error("resample " + resample);
    let out = picture;
    if (width !== out.width) out = pass(out, width, filter, true);
    if (height !== out.height) out = pass(out, height, filter, false);
    return out;
  }

  // PIL.Image.reduce(factor): the mean of each factor×factor box (partial boxes at the edges too), rounded
  // as Pillow rounds it.
  function reduce(picture, factor) {
    const { width, height, data } = picture;
    const outWidth = Math.ceil(width / factor), outHeight = Math.ceil(height / factor);
    const out = new Uint8ClampedArray(outWidth * outHeight * 3);
    for (let y = 0; y < outHeight; y++) {
      const y0 = y * factor, y1 = Math.min(y0 + factor, height);
      for (let x = 0; x < outWidth; x++) {
        const x0 = x * factor, x1 = Math.min(x0 + factor, width);
        const area = (y1 - y0) * (x1 - x0);
        const multiplier = Math.floor(16777216 / area), amend = Math.floor(area / 2);
        for (let ch = 0; ch < 3; ch++) {
          let sum = 0;
          for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) sum += data[(yy * width + xx) * 3 + ch];
          out[(y * outWidth + x) * 3 + ch] = Math.floor(((sum + amend) * multiplier) / 16777216);
        }
      }
    }
    return { width: outWidth, height: outHeight, data: out };
  }

  // contract/images.py open_rgb: a JPEG is decoded at 1/2, 1/4 or 1/8 (Pillow's draft) when it stays at
  // least min_side on both sides (emulated here by a box reduce of the full decode), then any picture is
  // reduced by the whole factor that keeps its short side >= min_side.
  function shrink(picture, minSide, isJpeg) {
    let out = picture;
    if (isJpeg) {
      const scale = Math.min(Math.floor(out.width / minSide), Math.floor(out.height / minSide));
      const draft = [8, 4, 2, 1].find((a) => scale >= a) || 1;
      if (draft > 1) out = reduce(out, draft);
    }
    const factor = Math.floor(Math.min(out.width, out.height) / minSide);
    return factor >= 2 ? reduce(out, factor) : out;
  }

  // contract/images.py VIEWS: Pillow's transposes.
  function view(picture, name) {
    const { width, height, data } = picture;
    const rotate = name === "rot90";
    const outWidth = rotate ? height : width, outHeight = rotate ? width : height;
    const out = new Uint8ClampedArray(data.length);
    for (let y = 0; y < outHeight; y++) {
      for (let x = 0; x < outWidth; x++) {
        let sx = x, sy = y;
        if (name === "hflip") sx = width - 1 - x;
        else if (name === "vflip") sy = height - 1 - y;
        else if (rotate) { sx = width - 1 - y; sy = x; }
        const from = (sy * width + sx) * 3, to = (y * outWidth + x) * 3;
        out[to] = data[from]; out[to + 1] = data[from + 1]; out[to + 2] = data[from + 2];
      }
    }
    return { width: outWidth, height: outHeight, data: out };
  }

  // The image processor: resize (whole, or the short side keeping the aspect), centre crop, then
  // (x / 255 - mean) / std as a 1×3×H×W float tensor's data.
  function pixelValues(picture, steps) {
    let out = picture;
    if (steps.resize.shortest_edge) {
      const side = steps.resize.shortest_edge;
      const short = Math.min(out.width, out.height), long = Math.max(out.width, out.height);
      const other = Math.trunc((side * long) / short);
      out = out.width <= out.height ? resize(out, side, other, steps.resample) : resize(out, other, side, steps.resample);
    } else {
      out = resize(out, steps.resize.width, steps.resize.height, steps.resample);
    }
    if (steps.crop) {
      const top = Math.floor((out.height - steps.crop.height) / 2), left = Math.floor((out.width - steps.crop.width) / 2);
      out = crop(out, left, top, steps.crop.width, steps.crop.height);
    }
    const plane = out.width * out.height;
    const tensor = new Float32Array(3 * plane);
    for (let i = 0; i < plane; i++) {
      for (let ch = 0; ch < 3; ch++) {
        tensor[ch * plane + i] = (out.data[i * 3 + ch] / 255 - steps.mean[ch]) / steps.std[ch];
      }
    }
    return { tensor, width: out.width, height: out.height };
  }

  function crop(picture, left, top, width, height) {
    const out = new Uint8ClampedArray(width * height * 3);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const sy = y + top, sx = x + left;
        if (sy < 0 || sx < 0 || sy >= picture.height || sx >= picture.width) continue;  // padded with 0
        const from = (sy * picture.width + sx) * 3, to = (y * width + x) * 3;
        out[to] = picture.data[from]; out[to + 1] = picture.data[from + 1]; out[to + 2] = picture.data[from + 2];
      }
    }
    return { width, height, data: out };
  }

  root.Resample = { fromRGBA, resize, reduce, shrink, view, pixelValues };
})(typeof window !== "undefined" ? window : globalThis);
