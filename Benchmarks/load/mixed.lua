-- The mixed load of Benchmarks/load (wrk -s): boxes under articles, trending, widget HTML, posted events and
-- posted impressions, in shares of ten requests. Read from the environment:
--   LOAD_IDS          a file of "article_id|site" lines (articles in the model)
--   LOAD_SITES        a file of site slugs
--   LOAD_RATE         requests a second over all connections (0: as fast as possible)
--   LOAD_CONNECTIONS  wrk's -c, to pace each connection (wrk2-style, with delay())
--   LOAD_POSTS        requests in ten that post one event (default 2)
--   LOAD_IMPRESSIONS  requests in ten that post four impressions, one of them a click (default 0)
local ids, sites = {}, {}
for line in io.lines(os.getenv("LOAD_IDS")) do
    local id, site = line:match("([^|]+)|(.+)")
    ids[#ids + 1] = { id = id, site = site }
end
for line in io.lines(os.getenv("LOAD_SITES")) do sites[#sites + 1] = line end
local connections = tonumber(os.getenv("LOAD_CONNECTIONS") or "1")
local rate = tonumber(os.getenv("LOAD_RATE") or "0") / connections
local posts = tonumber(os.getenv("LOAD_POSTS") or "2")
local impressions = tonumber(os.getenv("LOAD_IMPRESSIONS") or "0")
local n, tag = 0, "0"

function init(args)
    math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16) % 100000)
    tag = tostring(math.random(1, 1000000000))
end

function delay()
    if rate <= 0 then return 0 end
    return math.floor(1000 / rate)
end

local function event(a)
    local body = '{"events":[{"id":"load-' .. tag .. '-' .. n .. '","site":"' .. a.site .. '","article":"' ..
        a.id .. '","type":"view","reader":"r' .. (n % 5000) .. '"}]}'
    return wrk.format("POST", "/v1/events", { ["Content-Type"] = "application/json" }, body)
end

local function impression(a)
    local items = {}
    for position = 1, 4 do
        local shown = ids[(n * 31 + position * 7) % #ids + 1]
        items[#items + 1] = '{"id":"imp-' .. tag .. '-' .. n .. '-' .. position .. '","kind":"' ..
            (position == 1 and "click" or "impression") .. '","placement":"below-article","host":"' .. a.site ..
            '","seed":"' .. a.id .. '","site":"' .. shown.site .. '","article":"' .. shown.id ..
            '","position":' .. position .. ',"reader":"r' .. (n % 5000) .. '"}'
    end
    return wrk.format("POST", "/v1/impressions", { ["Content-Type"] = "application/json" },
        '{"impressions":[' .. table.concat(items, ",") .. ']}')
end

-- Ten slots: trending 2 - impressions, widget HTML 2, events `posts`, impressions, and boxes the rest.
local slots = {}
local function add(kind, count) for _ = 1, count do slots[#slots + 1] = kind end end
add("trending", 2 - impressions)
add("widget", 2)
add("event", posts)
add("impressions", impressions)
add("box", 10 - #slots)

request = function()
    n = n + 1
    local kind = slots[n % 10 + 1]
    local a = ids[(n * 7919) % #ids + 1]
    if kind == "box" then
        return wrk.format("GET", "/v1/articles/" .. a.id .. "/recommendations?k=8&site=" .. a.site)
    elseif kind == "trending" then
        return wrk.format("GET", "/v1/sites/" .. sites[n % #sites + 1] .. "/trending?k=8")
    elseif kind == "widget" then
        return wrk.format("GET", "/v1/articles/" .. a.id .. "/widget.html?site=" .. a.site)
    elseif kind == "event" then
        return event(a)
    else
        return impression(a)
    end
end
