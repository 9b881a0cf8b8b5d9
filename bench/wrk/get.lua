-- wrk script: GETs random ConfigMaps <BENCH_PREFIX>-<i>, 0 <= i < BENCH_OBJECT_COUNT, from BENCH_NAMESPACE.
local ns = os.getenv("BENCH_NAMESPACE")
local prefix = os.getenv("BENCH_PREFIX")
local count = tonumber(os.getenv("BENCH_OBJECT_COUNT"))
local base

function init(args)
  base = "/api/v1/namespaces/" .. ns .. "/configmaps/" .. prefix .. "-"
  math.randomseed(os.time())
  wrk.headers["Accept"] = "application/json"
end

function request()
  return wrk.format("GET", base .. math.random(0, count - 1))
end
