# AWS: the regions of the stacks that run this service (aws:region).
aws_region      = "us-east-1"
aws_ami_regions = ["eu-west-1"]
