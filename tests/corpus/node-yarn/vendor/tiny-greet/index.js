module.exports = (who) => `${who}: greeted by a dependency`;
