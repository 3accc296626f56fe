/**
 * The cookbook's table of contents, typed in by hand from the contents pages of the
 * v1.1 PDF (identical in both editions), with the extraction's garbling repaired:
 * "Hov v To Use" is "How To Use", "2 n 10" is 20.10, "28.10 6Data Sciecne" is 28.16,
 * and the entries the extraction lost (19.1.1, 20.1-20.1.2, 20.2.1) restored.
 * Titles are the clean headings; "— available" marks and the "Sciecne" typo are dropped.
 * Written independently of the importer so the tests pin it against the book.
 */

export const PARTS = [
  { number: 1, title: "Introduction", chapters: [1, 2] },
  { number: 2, title: "Basic Data Engineering Skills", chapters: [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23] },
  { number: 3, title: "Building A Data Platform Example", chapters: [24, 25, 26, 27] },
  { number: 4, title: "Case Studies", chapters: [28] },
];

const lines = (text: string) =>
  text
    .trim()
    .split("\n")
    .map((line) => line.trim());

export const CHAPTERS = lines(`
  1 How To Use This Cookbook
  2 Data Engineer vs Data Scientists
  3 Learn To Code
  4 Get Familiar With Github
  5 Agile Development
  6 Learn how a Computer Works
  7 Computer Networking - Data Transmission
  8 Security and Privacy
  9 Linux
  10 The Cloud
  11 Security Zone Design
  12 Stream Processing
  13 Big Data
  14 Data Warehouse vs Data Lake
  15 Hadoop Platforms
  16 Is ETL still relevant for Analytics?
  17 Docker
  18 REST APIs
  19 Databases
  20 Data Processing / Analytics - Frameworks
  21 Apache Kafka
  22 Machine Learning
  23 Data Visualization
  24 My Big Data Platform Blueprint
  25 Lambda Architecture
  26 Thoughts On Choosing The Target Environment
  27 Thoughts On Choosing A Development Environment
  28 How I do Case Studies
`);

export const SECTIONS = lines(`
  2.1 Data Scientist
  2.2 Data Engineer
  2.3 Who Companies Need
  5.1 Why is agile so important?
  5.2 Agile rules I learned over the years
  5.2.1 Is the method making a difference?
  5.2.2 The problem with outsourcing
  5.2.3 Knowledge is king: A lesson from Elon Musk
  5.2.4 How you really can be agile
  5.3 Agile Techniques
  5.3.1 Scrum
  5.3.2 OKR
  6.1 CPU,RAM,GPU,HDD
  6.2 Differences between PCs and Servers
  7.1 ISO/OSI Model
  7.2 IP Subnetting
  7.3 Switch, Level 3 Switch
  7.4 Router
  7.5 Firewalls
  8.1 SSL Public & Private Key Certificates
  8.2 What is a certificate authority
  8.3 JAva Web Tokens
  8.4 GDPR regulations
  8.5 Privacy by design
  9.1 OS Basics
  9.2 Shell scripting
  9.3 Cron jobs
  9.4 Packet management
  10.1 AWS, Azure, IBM, Google Cloud basics
  10.2 cloud vs on premise
  10.3 up & downsides
  10.4 Security
  11.1 How to secure a multi layered application
  11.2 Cluster security with Kerberos
  12.1 Three methods of streaming
  12.2 At Least Once
  12.3 At Most Once
  12.4 Exactly Once
  12.5 Check The Tools!
  13.1 What is big data and where is the difference to data science and data analytics?
  13.2 The 4Vs of Big Data
  13.3 Why Big Data?
  13.3.1 Planning is Everything
  13.3.2 The Problem With ETL
  13.3.3 Scaling Up
  13.3.4 Scaling Out
  13.3.5 Please Don't go Big Data
  15.1 What is Hadoop
  15.2 What makes Hadoop so popular?
  15.3 Hadoop Ecosystem Components
  15.4 Hadoop Is Everywhere?
  15.5 SHOULD YOU LEARN HADOOP?
  15.6 How to select Hadoop Cluster Hardware
  17.1 What is docker and what do you use it for
  17.1.1 Don't Mess Up Your System
  17.1.2 Preconfigured Images
  17.1.3 Take It With You
  17.2 Kubernetes Container Deployment
  17.3 How to create, start, stop a Container
  17.4 Docker micro services?
  17.5 Kubernetes
  17.6 Why and how to do Docker container orchestration
  18.1 HTTP Post/Get
  18.2 API Design
  18.3 Implementation
  19.1 SQL Databases
  19.1.1 Database Design
  19.1.2 SQL Queries
  19.1.3 Stored Procedures
  19.1.4 ODBC/JDBC Server Connections
  19.2 NoSQL Stores
  19.2.1 KeyValue Stores (HBase)
  19.2.2 Document Store HDFS
  19.2.3 Document Store MongoDB
  19.2.4 Hive Warehouse
  19.2.5 Impala
  19.2.6 Kudu
  19.2.7 Time Series Databases
  19.2.8 MPP Databases (Greenplum)
  20.1 MapReduce
  20.1.1 How does MapReduce work
  20.1.2 Example
  20.1.3 What is the limitation of MapReduce?
  20.2 Apache Spark
  20.2.1 What is the difference to MapReduce?
  20.2.2 How does Spark fit to Hadoop?
  20.2.3 Where's the difference?
  20.2.4 Spark and Hadoop is a perfect fit
  20.2.5 Spark on YARN:
  20.2.6 My simple rule of thumb:
  20.2.7 Available Languages
  20.2.8 How to do stream processing
  20.2.9 How to do batch processing
  20.2.10 How does Spark use data from Hadoop
  20.3 What is a RDD and what is a DataFrame?
  20.4 Spark coding with Scala
  20.5 Spark coding with Python
  20.6 How and why to use SparkSQL?
  20.7 Machine Learning on Spark? (Tensor Flow)
  20.8 MLlib:
  20.9 Spark Setup
  20.10 Spark Resource Management
  21.1 Why a message queue tool?
  21.2 Kakfa architecture
  21.3 What are topics
  21.4 What does Zookeeper have to do with Kafka
  21.5 How to produce and consume messages
  22.1 Training and Applying models
  22.2 What is deep learning
  22.3 How to do Machine Learning in production
  22.4 Why machine learning in production is harder then you think
  22.5 Models Do Not Work Forever
  22.6 Where The Platforms That Support This?
  22.7 Training Parameter Management
  22.8 What's Your Solution?
  22.9 How to convince people machine learning works
  22.10 No Rules, No Physical Models
  22.11 You Have The Data. USE IT!
  22.12 Data is Stronger Than Opinions
  23.1 Android & IOS
  23.2 How to design APIs for mobile apps
  23.3 How to use Webservers to display content
  23.3.1 Tomcat
  23.3.2 Jetty
  23.3.3 NodeRED
  23.3.4 React
  23.4 Business Intelligence Tools
  23.4.1 Tableau
  23.4.2 PowerBI
  23.4.3 Quliksense
  23.5 Identity & Device Management
  23.5.1 What is a digital twin?
  23.5.2 Active Directory
  24.1 Ingest
  24.2 Analyse / Process
  24.3 Store
  24.4 Display
  25.1 Batch Processing
  25.2 Stream Processing
  25.3 Should you do stream or batch processing?
  25.4 Lambda Architecture Alternative
  25.4.1 Kappa Architecture
  25.4.2 Kappa Architecture with Kudu
  26.1 Cloud vs On-Premise
  26.2 Cloud Native or Independent Vendors
  27.1 Cloud As Dev Environment
  27.2 Local Dev Environment
  27.3 Data Architecture
  27.3.1 Source Data
  27.3.2 Analytics Requirements For Streaming
  27.3.3 Analytics Requirements For Batch Processing
  27.3.4 Data Visualization
  27.4 Milestone 1 Tool Decisions
  28.1 Data Science @Airbnb
  28.2 Data Science @Baidu
  28.3 Data Science @Blackrock
  28.4 Data Science @BMW
  28.5 Data Science @Booking.com
  28.6 Data Science @CERN
  28.7 Data Science @Disney
  28.8 Data Science @Drivetribe
  28.9 Data Science @Dropbox
  28.10 Data Science @Ebay
  28.11 Data Science @Expedia
  28.12 Data Science @Facebook
  28.13 Data Science @Grammarly
  28.14 Data Science @ING Fraud
  28.15 Data Science @Instagram
  28.16 Data Science @LinkedIn
  28.17 Data Science @Lyft
  28.18 Data Science @NASA
  28.19 Data Science @Netflix
  28.20 Data Science @OTTO
  28.21 Data Science @Paypal
  28.22 Data Science @Pinterest
  28.23 Data Science @Salesforce
  28.24 Data Science @Slack
  28.25 Data Science @Spotify
  28.26 Data Science @Symantec
  28.27 Data Science @Tinder
  28.28 Data Science @Twitter
  28.29 Data Science @Uber
  28.30 Data Science @Upwork
  28.31 Data Science @Woot
  28.32 Data Science @Zalando
`);
