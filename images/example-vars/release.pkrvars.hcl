# What a release passes to every platform's build (the release workflow sets the same three).
service  = "shop"
version  = "1.4.2"
artifact = "shop-1.4.2.tar.gz"
