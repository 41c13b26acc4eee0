-- Vector tiles (docs/api.md, "Vector tiles"): a simplified, valid copy of every
-- country's 1:50m geometry per zoom band, in EPSG:3857, made when the
-- boundaries are loaded (store.UpsertBoundaries calls refresh_country_tile),
-- so a tile request never simplifies the raw 50m column.
--
-- Band z (0 to 6) is simplified (Douglas-Peucker, small parts kept) at 4 units
-- of the 4096-unit extent of a zoom-z tile: half a CSS pixel of MapLibre's
-- 512-pixel tiles, one device pixel on a 2x screen. Tiles of zooms 6 to 8 use
-- band 6. Latitudes beyond Web Mercator's ±85.0511° are cut off.
--
-- Idempotent (IF NOT EXISTS, OR REPLACE), so that a database migrated past
-- number 005 while it was a placeholder can be given the same SQL again
-- under a later number.
CREATE TABLE IF NOT EXISTS country_tile (
    zoom smallint NOT NULL CHECK (zoom BETWEEN 0 AND 6),
    iso3 text NOT NULL REFERENCES country (iso3) ON DELETE CASCADE,
    geom geometry(MultiPolygon, 3857) NOT NULL CHECK (ST_IsValid(geom)),
    PRIMARY KEY (zoom, iso3)
);
CREATE INDEX IF NOT EXISTS country_tile_geom_gist ON country_tile USING gist (geom);

CREATE OR REPLACE FUNCTION refresh_country_tile() RETURNS void
LANGUAGE sql AS $$
    DELETE FROM country_tile;
    WITH m AS MATERIALIZED (
        SELECT iso3, ST_Transform(CASE WHEN ST_YMin(geom) < -85.0511287798066 OR ST_YMax(geom) > 85.0511287798066
            THEN ST_Intersection(geom, ST_MakeEnvelope(-180, -85.0511287798066, 180, 85.0511287798066, 4326))
            ELSE geom END, 3857) AS geom
        FROM country
    ), s AS (
        SELECT m.iso3, z.zoom,
               ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Simplify(m.geom, 40075016.685578488 / (1024 * 2 ^ z.zoom), true)), 3)) AS g
        FROM m CROSS JOIN generate_series(0, 6) AS z (zoom)
    )
    INSERT INTO country_tile (zoom, iso3, geom)
    SELECT zoom, iso3, g FROM s WHERE NOT ST_IsEmpty(g);
$$;

SELECT refresh_country_tile();

---- create above / drop below ----
DROP FUNCTION IF EXISTS refresh_country_tile();
DROP TABLE IF EXISTS country_tile;
