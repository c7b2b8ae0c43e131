// graph_builder → Neo4j. Copy nodes.csv and relationships.csv into Neo4j's import/
// folder, then run this file with cypher-shell -f import.cypher.
CREATE CONSTRAINT gb_iri IF NOT EXISTS FOR (n:GBNode) REQUIRE n.iri IS UNIQUE;
LOAD CSV WITH HEADERS FROM 'file:///nodes.csv' AS row
MERGE (n:GBNode {iri: row.iri}) SET n += {adcode: row.adcode, administrativeLevel: row.administrativeLevel, altLabel: row.altLabel, amount: row.amount, amountIsCap: row.amountIsCap, amountUnit: row.amountUnit, characterCount: row.characterCount, comparator: row.comparator, deadline: row.deadline, definition: row.definition, docNumber: row.docNumber, end: row.end, fileName: row.fileName, function: row.function, functionCue: row.functionCue, identifier: row.identifier, indicator: row.indicator, instrumentObject: row.instrumentObject, instrumentType: row.instrumentType, issued: row.issued, label: row.label, label_en: row.label_en, leadRule: row.leadRule, measureType: row.measureType, notation: row.notation, number: row.number, ordinal: row.ordinal, per: row.per, pricedType: row.pricedType, quote: row.quote, ratePercent: row.ratePercent, sha256: row.sha256, start: row.start, status: row.status, title: row.title, type: row.type, unit: row.unit, value: row.value, year: row.year};
MATCH (n:GBNode) WHERE n.type = 'Action' SET n:Action;
MATCH (n:GBNode) WHERE n.type = 'Agency' SET n:Agency;
MATCH (n:GBNode) WHERE n.type = 'AgencyFunction' SET n:AgencyFunction;
MATCH (n:GBNode) WHERE n.type = 'InstrumentType' SET n:InstrumentType;
MATCH (n:GBNode) WHERE n.type = 'Measure' SET n:Measure;
MATCH (n:GBNode) WHERE n.type = 'MeasureType' SET n:MeasureType;
MATCH (n:GBNode) WHERE n.type = 'PlannedPolicy' SET n:PlannedPolicy;
MATCH (n:GBNode) WHERE n.type = 'PolicyDocument' SET n:PolicyDocument;
MATCH (n:GBNode) WHERE n.type = 'PricedInstrument' SET n:PricedInstrument;
MATCH (n:GBNode) WHERE n.type = 'Product' SET n:Product;
MATCH (n:GBNode) WHERE n.type = 'Region' SET n:Region;
MATCH (n:GBNode) WHERE n.type = 'Target' SET n:Target;
LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.type = 'alsoMeasureType'
MATCH (a:GBNode {iri: row.source}), (b:GBNode {iri: row.target})
MERGE (a)-[r:alsoMeasureType {id: row.id}]->(b) SET r += {cue: row.cue, end: row.end, label: row.label, mentionedName: row.mentionedName, position: row.position, quote: row.quote, score: row.score, start: row.start};
LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.type = 'broader'
MATCH (a:GBNode {iri: row.source}), (b:GBNode {iri: row.target})
MERGE (a)-[r:broader {id: row.id}]->(b) SET r += {cue: row.cue, end: row.end, label: row.label, mentionedName: row.mentionedName, position: row.position, quote: row.quote, score: row.score, start: row.start};
LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.type = 'classification'
MATCH (a:GBNode {iri: row.source}), (b:GBNode {iri: row.target})
MERGE (a)-[r:classification {id: row.id}]->(b) SET r += {cue: row.cue, end: row.end, label: row.label, mentionedName: row.mentionedName, position: row.position, quote: row.quote, score: row.score, start: row.start};
LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.type = 'coordinator'
MATCH (a:GBNode {iri: row.source}), (b:GBNode {iri: row.target})
MERGE (a)-[r:coordinator {id: row.id}]->(b) SET r += {cue: row.cue, end: row.end, label: row.label, mentionedName: row.mentionedName, position: row.position, quote: row.quote, score: row.score, start: row.start};
LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.type = 'hasInstrument'
MATCH (a:GBNode {iri: row.source}), (b:GBNode {iri: row.target})
MERGE (a)-[r:hasInstrument {id: row.id}]->(b) SET r += {cue: row.cue, end: row.end, label: row.label, mentionedName: row.mentionedName, position: row.position, quote: row.quote, score: row.score, start: row.start};
LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.type = 'hasTarget'
MATCH (a:GBNode {iri: row.source}), (b:GBNode {iri: row.target})
MERGE (a)-[r:hasTarget {id: row.id}]->(b) SET r += {cue: row.cue, end: row.end, label: row.label, mentionedName: row.mentionedName, position: row.position, quote: row.quote, score: row.score, start: row.start};
LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.type = 'implementer'
MATCH (a:GBNode {iri: row.source}), (b:GBNode {iri: row.target})
MERGE (a)-[r:implementer {id: row.id}]->(b) SET r += {cue: row.cue, end: row.end, label: row.label, mentionedName: row.mentionedName, position: row.position, quote: row.quote, score: row.score, start: row.start};
LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.type = 'instrumentType'
MATCH (a:GBNode {iri: row.source}), (b:GBNode {iri: row.target})
MERGE (a)-[r:instrumentType {id: row.id}]->(b) SET r += {cue: row.cue, end: row.end, label: row.label, mentionedName: row.mentionedName, position: row.position, quote: row.quote, score: row.score, start: row.start};
LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.type = 'isPartOf'
MATCH (a:GBNode {iri: row.source}), (b:GBNode {iri: row.target})
MERGE (a)-[r:isPartOf {id: row.id}]->(b) SET r += {cue: row.cue, end: row.end, label: row.label, mentionedName: row.mentionedName, position: row.position, quote: row.quote, score: row.score, start: row.start};
LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.type = 'jurisdiction'
MATCH (a:GBNode {iri: row.source}), (b:GBNode {iri: row.target})
MERGE (a)-[r:jurisdiction {id: row.id}]->(b) SET r += {cue: row.cue, end: row.end, label: row.label, mentionedName: row.mentionedName, position: row.position, quote: row.quote, score: row.score, start: row.start};
LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.type = 'lead'
MATCH (a:GBNode {iri: row.source}), (b:GBNode {iri: row.target})
MERGE (a)-[r:lead {id: row.id}]->(b) SET r += {cue: row.cue, end: row.end, label: row.label, mentionedName: row.mentionedName, position: row.position, quote: row.quote, score: row.score, start: row.start};
LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.type = 'measureType'
MATCH (a:GBNode {iri: row.source}), (b:GBNode {iri: row.target})
MERGE (a)-[r:measureType {id: row.id}]->(b) SET r += {cue: row.cue, end: row.end, label: row.label, mentionedName: row.mentionedName, position: row.position, quote: row.quote, score: row.score, start: row.start};
LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.type = 'mentionsPlace'
MATCH (a:GBNode {iri: row.source}), (b:GBNode {iri: row.target})
MERGE (a)-[r:mentionsPlace {id: row.id}]->(b) SET r += {cue: row.cue, end: row.end, label: row.label, mentionedName: row.mentionedName, position: row.position, quote: row.quote, score: row.score, start: row.start};
LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.type = 'mentionsPlace#2'
MATCH (a:GBNode {iri: row.source}), (b:GBNode {iri: row.target})
MERGE (a)-[r:mentionsPlace_2 {id: row.id}]->(b) SET r += {cue: row.cue, end: row.end, label: row.label, mentionedName: row.mentionedName, position: row.position, quote: row.quote, score: row.score, start: row.start};
LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.type = 'participant'
MATCH (a:GBNode {iri: row.source}), (b:GBNode {iri: row.target})
MERGE (a)-[r:participant {id: row.id}]->(b) SET r += {cue: row.cue, end: row.end, label: row.label, mentionedName: row.mentionedName, position: row.position, quote: row.quote, score: row.score, start: row.start};
LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.type = 'product'
MATCH (a:GBNode {iri: row.source}), (b:GBNode {iri: row.target})
MERGE (a)-[r:product {id: row.id}]->(b) SET r += {cue: row.cue, end: row.end, label: row.label, mentionedName: row.mentionedName, position: row.position, quote: row.quote, score: row.score, start: row.start};
LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.type = 'publisher'
MATCH (a:GBNode {iri: row.source}), (b:GBNode {iri: row.target})
MERGE (a)-[r:publisher {id: row.id}]->(b) SET r += {cue: row.cue, end: row.end, label: row.label, mentionedName: row.mentionedName, position: row.position, quote: row.quote, score: row.score, start: row.start};
LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.type = 'spatial'
MATCH (a:GBNode {iri: row.source}), (b:GBNode {iri: row.target})
MERGE (a)-[r:spatial {id: row.id}]->(b) SET r += {cue: row.cue, end: row.end, label: row.label, mentionedName: row.mentionedName, position: row.position, quote: row.quote, score: row.score, start: row.start};
LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.type = 'usesInstrumentType'
MATCH (a:GBNode {iri: row.source}), (b:GBNode {iri: row.target})
MERGE (a)-[r:usesInstrumentType {id: row.id}]->(b) SET r += {cue: row.cue, end: row.end, label: row.label, mentionedName: row.mentionedName, position: row.position, quote: row.quote, score: row.score, start: row.start};
LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.type = 'withinRegion'
MATCH (a:GBNode {iri: row.source}), (b:GBNode {iri: row.target})
MERGE (a)-[r:withinRegion {id: row.id}]->(b) SET r += {cue: row.cue, end: row.end, label: row.label, mentionedName: row.mentionedName, position: row.position, quote: row.quote, score: row.score, start: row.start};
