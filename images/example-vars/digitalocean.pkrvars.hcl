# DigitalOcean: the regions of the stacks that run this service (phoenix:region).
digitalocean_region           = "nyc3"
digitalocean_snapshot_regions = ["ams3", "fra1"]
