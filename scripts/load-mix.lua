-- The public read mix for wrk (scripts/load.sh): what the map, profiles and
-- API clients ask for, with about 30 % of requests for as_of/weights
-- combinations nobody asked before (cache misses the server must build).
local cached = {
  "/api/v1/index", "/api/v1/index", "/api/v1/index", "/api/v1/index?as_of=2018-12-31",
  "/api/v1/geo/countries.geojson", "/api/v1/countries", "/api/v1/capabilities", "/api/v1/pillars",
  "/api/v1/countries/CHN", "/api/v1/countries/VEN", "/api/v1/countries/RUS", "/api/v1/countries/IRN",
  "/api/v1/countries/USA", "/api/v1/countries/ECU", "/api/v1/sites", "/api/v1/compare?iso3=RUS,IRN",
  "/api/v1/assessments?limit=100", "/api/v1/countries/CHN/history",
}
local countries = { "CHN", "VEN", "RUS", "IRN", "USA", "ECU", "KEN", "UGA", "SRB", "TUR", "EGY", "IND" }
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
end

function init(args)
  math.randomseed(os.time() * 1000 + (seed or 0))
end

local function uncached()
  if math.random() < 0.5 then
    return string.format("/api/v1/index?weights=identity:%.2f,sanctions:%d", math.random(1, 99999) / 100, math.random(1, 9))
  end
  return string.format("/api/v1/countries/%s?as_of=%d-%02d-%02d", countries[math.random(#countries)],
    math.random(2013, 2025), math.random(1, 12), math.random(1, 28))
end

function request()
  local path
  if math.random() < 0.3 then path = uncached() else path = cached[math.random(#cached)] end
  return wrk.format("GET", path, { ["Accept-Encoding"] = "gzip" })
end
