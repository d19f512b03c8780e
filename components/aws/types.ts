/**
 * The type tokens of the AWS resources Phoenix registers, and of its own AWS components. The one
 * place they are written: facts, tests and tools import them from here.
 */
export const AWS_TYPES = {
  vpc: "aws:ec2/vpc:Vpc",
  subnet: "aws:ec2/subnet:Subnet",
  internetGateway: "aws:ec2/internetGateway:InternetGateway",
  natGateway: "aws:ec2/natGateway:NatGateway",
  eip: "aws:ec2/eip:Eip",
  eipAssociation: "aws:ec2/eipAssociation:EipAssociation",
  routeTable: "aws:ec2/routeTable:RouteTable",
  route: "aws:ec2/route:Route",
  routeTableAssociation: "aws:ec2/routeTableAssociation:RouteTableAssociation",
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
  instance: "aws:ec2/instance:Instance",
  volumeAttachment: "aws:ec2/volumeAttachment:VolumeAttachment",
  flowLog: "aws:ec2/flowLog:FlowLog",
  volume: "aws:ebs/volume:Volume",
  autoScalingGroup: "aws:autoscaling/group:Group",
  loadBalancer: "aws:lb/loadBalancer:LoadBalancer",
  targetGroup: "aws:lb/targetGroup:TargetGroup",
  listener: "aws:lb/listener:Listener",
  listenerRule: "aws:lb/listenerRule:ListenerRule",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  rolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  instanceProfile: "aws:iam/instanceProfile:InstanceProfile",
  dbInstance: "aws:rds/instance:Instance",
  dbSubnetGroup: "aws:rds/subnetGroup:SubnetGroup",
  record: "aws:route53/record:Record",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
} as const;

/** The type tokens of Phoenix's AWS components (a contract: renaming one replaces). */
export const AWS_COMPONENTS = {
  network: "phoenix:aws:Network",
  serverGroup: "phoenix:aws:ServerGroup",
  statefulServers: "phoenix:aws:StatefulServers",
  database: "phoenix:aws:Database",
  loadBalancer: "phoenix:aws:LoadBalancer",
  elasticIp: "phoenix:aws:ElasticIp",
  dns: "phoenix:aws:Dns",
} as const;
