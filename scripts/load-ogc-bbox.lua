-- load-ogc-bbox.lua: uncached OGC items requests for scripts/load-ogc.sh. Every request asks
-- limit=100 with a bbox never asked before (random corners with 4 decimals, seeded per
-- thread), so the response cache never answers and each one goes to PostgreSQL.
-- ITEMS_PATH names the items resource (default our sites; pg_featureserv's is
-- /collections/public.site/items).
local path = os.getenv("ITEMS_PATH") or "/ogc/collections/sites/items"
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end

function init(args)
  math.randomseed(os.time() * 1000 + (id or 0) * 7919)
end

request = function()
  local x = -120 + math.random() * 200
  local y = -50 + math.random() * 60
  local w = 30 + math.random() * 60
  local h = 20 + math.random() * 40
  local q = string.format("%s?limit=100&bbox=%.4f,%.4f,%.4f,%.4f", path, x, y, math.min(x + w, 180), math.min(y + h, 90))
  return wrk.format("GET", q, {["Accept-Encoding"] = "gzip"})
end
