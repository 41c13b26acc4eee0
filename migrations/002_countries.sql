-- Countries from Natural Earth admin-0 (1:50m for data, 1:110m for world views).
CREATE TABLE country (
    iso3          text PRIMARY KEY CHECK (iso3 ~ '^[A-Z]{3}$'),
    iso2          text CHECK (iso2 ~ '^[A-Z]{2}$'),
    iso_numeric   text CHECK (iso_numeric ~ '^[0-9]{3}$'),
    iso_official  boolean NOT NULL,
    name          text NOT NULL CHECK (name <> ''),
    ne_name       text NOT NULL,
    region        text NOT NULL,
    subregion     text NOT NULL DEFAULT '',
    geom          geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom)),
    geom_110m     geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom_110m)),
    label_point   geometry(Point, 4326) NOT NULL,
    area_km2      double precision NOT NULL CHECK (area_km2 > 0)
);
CREATE INDEX country_geom_gist ON country USING gist (geom);
CREATE INDEX country_geom_110m_gist ON country USING gist (geom_110m);

-- Land neighbours, computed in PostGIS from the 1:50m geometry (symmetric).
CREATE TABLE country_neighbour (
    iso3      text NOT NULL REFERENCES country (iso3) ON DELETE CASCADE,
    neighbour text NOT NULL REFERENCES country (iso3) ON DELETE CASCADE,
    PRIMARY KEY (iso3, neighbour),
    CHECK (iso3 <> neighbour)
);

SELECT watch_revision('country');
SELECT watch_revision('country_neighbour');

---- create above / drop below ----
DROP TABLE IF EXISTS country_neighbour;
DROP TABLE IF EXISTS country;
